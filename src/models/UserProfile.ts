import {
  DataTypes, Model,
  type CreationOptional, type InferAttributes, type InferCreationAttributes, type NonAttribute, type Sequelize,
} from 'sequelize';
import type { AuthUser } from './AuthUser.js';
import type { EventInterest } from './EventInterest.js';

export const GENDERS = ['male', 'female', 'other', 'prefer_not_to_say'] as const;
export type Gender = (typeof GENDERS)[number];
/** The CHECK of migration 0001 (jsonb_array_length(profile_pictures) <= 6). */
export const MAX_PROFILE_PICTURES = 6;

/** user_profile: one per user; name/gender stay null until complete-profile. */
export class UserProfile extends Model<InferAttributes<UserProfile>, InferCreationAttributes<UserProfile>> {
  declare id: CreationOptional<number>;
  declare user_id: number;
  declare uuid: CreationOptional<string>;
  declare name: CreationOptional<string | null>;
  declare phone_number: CreationOptional<string | null>;
  declare bio: CreationOptional<string | null>;
  declare location: CreationOptional<string | null>;
  declare birth_date: CreationOptional<string | null>; // DATEONLY: 'YYYY-MM-DD'
  declare gender: CreationOptional<Gender | null>;
  declare profile_pictures: CreationOptional<string[]>;
  declare metadata: CreationOptional<Record<string, unknown>>;
  declare is_verified: CreationOptional<boolean>;
  declare is_active: CreationOptional<boolean>;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;

  declare user?: NonAttribute<AuthUser>;
  declare interests?: NonAttribute<EventInterest[]>;

  static initModel(sequelize: Sequelize): void {
    UserProfile.init(
      {
        id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
        user_id: { type: DataTypes.BIGINT, allowNull: false, unique: true },
        uuid: { type: DataTypes.UUID, allowNull: false, defaultValue: DataTypes.UUIDV4, unique: true },
        name: { type: DataTypes.STRING(100), allowNull: true, validate: { len: [2, 100] } },
        phone_number: { type: DataTypes.STRING(20), allowNull: true },
        bio: { type: DataTypes.TEXT, allowNull: true, validate: { len: [0, 500] } },
        location: { type: DataTypes.STRING(100), allowNull: true },
        birth_date: { type: DataTypes.DATEONLY, allowNull: true },
        gender: { type: DataTypes.STRING(20), allowNull: true, validate: { isIn: [[...GENDERS]] } },
        profile_pictures: { type: DataTypes.JSONB, allowNull: false, defaultValue: [] },
        metadata: { type: DataTypes.JSONB, allowNull: false, defaultValue: {} },
        is_verified: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        is_active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
        created_at: { type: DataTypes.DATE, allowNull: false },
        updated_at: { type: DataTypes.DATE, allowNull: false },
      },
      {
        sequelize, tableName: 'user_profile', modelName: 'UserProfile',
        timestamps: true, createdAt: 'created_at', updatedAt: 'updated_at', underscored: true,
      },
    );
  }
}
