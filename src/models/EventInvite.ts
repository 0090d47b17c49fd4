import {
  DataTypes, Model,
  type CreationOptional, type InferAttributes, type InferCreationAttributes, type NonAttribute, type Sequelize,
} from 'sequelize';
import type { AuthUser } from './AuthUser.js';
import type { Event } from './Event.js';

export const INVITE_TYPES = ['direct', 'share_link'] as const;
export type InviteType = (typeof INVITE_TYPES)[number];
export const INVITE_STATUSES = ['pending', 'accepted', 'declined', 'expired'] as const;
export type InviteStatus = (typeof INVITE_STATUSES)[number];

/** event_invite: a direct invite (invited_user set) or a share link (token_hash set). */
export class EventInvite extends Model<InferAttributes<EventInvite>, InferCreationAttributes<EventInvite>> {
  declare id: CreationOptional<number>;
  declare event_id: number;
  declare host_id: CreationOptional<number | null>;
  declare invited_user_id: CreationOptional<number | null>;
  declare uuid: CreationOptional<string>;
  declare invite_type: CreationOptional<InviteType>;
  declare status: CreationOptional<InviteStatus>;
  declare message: CreationOptional<string | null>;
  declare expires_at: CreationOptional<Date | null>;
  declare token_hash: CreationOptional<string | null>;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;

  declare event?: NonAttribute<Event>;
  declare host?: NonAttribute<AuthUser | null>;
  declare invited_user?: NonAttribute<AuthUser | null>;

  static initModel(sequelize: Sequelize): void {
    EventInvite.init(
      {
        id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
        event_id: { type: DataTypes.BIGINT, allowNull: false },
        host_id: { type: DataTypes.BIGINT, allowNull: true },
        invited_user_id: { type: DataTypes.BIGINT, allowNull: true },
        uuid: { type: DataTypes.UUID, allowNull: false, defaultValue: DataTypes.UUIDV4, unique: true },
        invite_type: { type: DataTypes.STRING(10), allowNull: false, defaultValue: 'direct', validate: { isIn: [[...INVITE_TYPES]] } },
        status: { type: DataTypes.STRING(10), allowNull: false, defaultValue: 'pending', validate: { isIn: [[...INVITE_STATUSES]] } },
        message: { type: DataTypes.TEXT, allowNull: true },
        expires_at: { type: DataTypes.DATE, allowNull: true },
        token_hash: { type: DataTypes.TEXT, allowNull: true, unique: true },
        created_at: { type: DataTypes.DATE, allowNull: false },
        updated_at: { type: DataTypes.DATE, allowNull: false },
      },
      {
        sequelize, tableName: 'event_invite', modelName: 'EventInvite',
        timestamps: true, createdAt: 'created_at', updatedAt: 'updated_at', underscored: true,
      },
    );
  }
}
