import {
  DataTypes, Model,
  type CreationOptional, type InferAttributes, type InferCreationAttributes, type NonAttribute, type Sequelize,
} from 'sequelize';
import type { UserProfile } from './UserProfile.js';
import type { Event } from './Event.js';
import type { Notification } from './Notification.js';
import type { RefreshToken } from './RefreshToken.js';

/** auth_user: the account. `username` is the E.164 phone number. */
export class AuthUser extends Model<InferAttributes<AuthUser>, InferCreationAttributes<AuthUser>> {
  declare id: CreationOptional<number>;
  declare uuid: CreationOptional<string>;
  declare username: string;
  declare email: CreationOptional<string | null>;
  declare password: CreationOptional<string | null>; // a slow hash; null = OTP-only account
  declare first_name: CreationOptional<string>;
  declare last_name: CreationOptional<string>;
  declare is_active: CreationOptional<boolean>;
  declare is_staff: CreationOptional<boolean>;
  declare is_superuser: CreationOptional<boolean>;
  declare date_joined: CreationOptional<Date>;
  declare last_login: CreationOptional<Date | null>;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;

  declare profile?: NonAttribute<UserProfile>;
  declare hosted_events?: NonAttribute<Event[]>;
  declare notifications?: NonAttribute<Notification[]>;
  declare refresh_tokens?: NonAttribute<RefreshToken[]>;

  static initModel(sequelize: Sequelize): void {
    AuthUser.init(
      {
        id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
        uuid: { type: DataTypes.UUID, allowNull: false, defaultValue: DataTypes.UUIDV4, unique: true },
        username: { type: DataTypes.STRING(150), allowNull: false, unique: true },
        email: { type: DataTypes.STRING(254), allowNull: true },
        password: { type: DataTypes.STRING(255), allowNull: true },
        first_name: { type: DataTypes.STRING(150), allowNull: false, defaultValue: '' },
        last_name: { type: DataTypes.STRING(150), allowNull: false, defaultValue: '' },
        is_active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
        is_staff: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        is_superuser: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        date_joined: { type: DataTypes.DATE, allowNull: false, defaultValue: DataTypes.NOW },
        last_login: { type: DataTypes.DATE, allowNull: true },
        created_at: { type: DataTypes.DATE, allowNull: false },
        updated_at: { type: DataTypes.DATE, allowNull: false },
      },
      {
        sequelize, tableName: 'auth_user', modelName: 'AuthUser',
        timestamps: true, createdAt: 'created_at', updatedAt: 'updated_at', underscored: true,
      },
    );
  }
}
