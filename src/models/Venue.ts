import {
  DataTypes, Model,
  type CreationOptional, type InferAttributes, type InferCreationAttributes, type NonAttribute, type Sequelize,
} from 'sequelize';
import type { AuthUser } from './AuthUser.js';
import type { Event } from './Event.js';

export const VENUE_TYPES = ['indoor', 'outdoor', 'virtual', 'hybrid'] as const;
export type VenueType = (typeof VENUE_TYPES)[number];

/** venue: a physical or virtual place. Decimals come back from pg as strings, never floats. */
export class Venue extends Model<InferAttributes<Venue>, InferCreationAttributes<Venue>> {
  declare id: CreationOptional<number>;
  declare uuid: CreationOptional<string>;
  declare name: string;
  declare address: CreationOptional<string | null>;
  declare city: CreationOptional<string | null>;
  declare venue_type: CreationOptional<VenueType>;
  declare capacity: CreationOptional<number>; // 0 = unlimited
  declare latitude: CreationOptional<string | null>; // DECIMAL(9,6)
  declare longitude: CreationOptional<string | null>; // DECIMAL(9,6)
  declare metadata: CreationOptional<Record<string, unknown>>;
  declare is_active: CreationOptional<boolean>;
  declare created_by_id: CreationOptional<number | null>;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;

  declare created_by?: NonAttribute<AuthUser | null>;
  declare events?: NonAttribute<Event[]>;

  static initModel(sequelize: Sequelize): void {
    Venue.init(
      {
        id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
        uuid: { type: DataTypes.UUID, allowNull: false, defaultValue: DataTypes.UUIDV4, unique: true },
        name: { type: DataTypes.STRING(150), allowNull: false, validate: { len: [1, 150] } },
        address: { type: DataTypes.TEXT, allowNull: true },
        city: { type: DataTypes.STRING(100), allowNull: true },
        venue_type: { type: DataTypes.STRING(10), allowNull: false, defaultValue: 'indoor', validate: { isIn: [[...VENUE_TYPES]] } },
        capacity: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0, validate: { min: 0 } },
        latitude: { type: DataTypes.DECIMAL(9, 6), allowNull: true, validate: { min: -90, max: 90 } },
        longitude: { type: DataTypes.DECIMAL(9, 6), allowNull: true, validate: { min: -180, max: 180 } },
        metadata: { type: DataTypes.JSONB, allowNull: false, defaultValue: {} },
        is_active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
        created_by_id: { type: DataTypes.BIGINT, allowNull: true },
        created_at: { type: DataTypes.DATE, allowNull: false },
        updated_at: { type: DataTypes.DATE, allowNull: false },
      },
      {
        sequelize, tableName: 'venue', modelName: 'Venue',
        timestamps: true, createdAt: 'created_at', updatedAt: 'updated_at', underscored: true,
      },
    );
  }
}
