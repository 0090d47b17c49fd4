import {
  DataTypes, Model,
  type CreationOptional, type InferAttributes, type InferCreationAttributes, type NonAttribute, type Sequelize,
} from 'sequelize';
import type { AuthUser } from './AuthUser.js';
import type { Event } from './Event.js';

export const REQUEST_STATUSES = ['pending', 'accepted', 'declined', 'cancelled', 'expired', 'waitlisted'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/**
 * event_request: a user asks to join; at most one pending and one waitlisted per (event, requester).
 * waitlist_seq: the FIFO number while waitlisted (from event_request_waitlist_seq), NULL otherwise.
 */
export class EventRequest extends Model<InferAttributes<EventRequest>, InferCreationAttributes<EventRequest>> {
  declare id: CreationOptional<number>;
  declare event_id: number;
  declare requester_id: number;
  declare uuid: CreationOptional<string>;
  declare status: CreationOptional<RequestStatus>;
  declare message: CreationOptional<string | null>;
  declare host_message: CreationOptional<string | null>;
  declare seats_requested: CreationOptional<number>;
  declare waitlist_seq: CreationOptional<string | null>;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;

  declare event?: NonAttribute<Event>;
  declare requester?: NonAttribute<AuthUser>;
  /** 1 + waitlisted requests of the event ahead of this one, when a list computed it (waitlist.ts). */
  declare waitlist_position?: NonAttribute<number | null>;

  static initModel(sequelize: Sequelize): void {
    EventRequest.init(
      {
        id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
        event_id: { type: DataTypes.BIGINT, allowNull: false },
        requester_id: { type: DataTypes.BIGINT, allowNull: false },
        uuid: { type: DataTypes.UUID, allowNull: false, defaultValue: DataTypes.UUIDV4, unique: true },
        status: { type: DataTypes.STRING(10), allowNull: false, defaultValue: 'pending', validate: { isIn: [[...REQUEST_STATUSES]] } },
        message: { type: DataTypes.TEXT, allowNull: true },
        host_message: { type: DataTypes.TEXT, allowNull: true },
        seats_requested: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1, validate: { min: 1 } },
        waitlist_seq: { type: DataTypes.BIGINT, allowNull: true },
        created_at: { type: DataTypes.DATE, allowNull: false },
        updated_at: { type: DataTypes.DATE, allowNull: false },
      },
      {
        sequelize, tableName: 'event_request', modelName: 'EventRequest',
        timestamps: true, createdAt: 'created_at', updatedAt: 'updated_at', underscored: true,
      },
    );
  }
}
