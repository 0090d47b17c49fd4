import {
  DataTypes, Model,
  type CreationOptional, type InferAttributes, type InferCreationAttributes, type NonAttribute, type Sequelize,
} from 'sequelize';
import type { AuthUser } from './AuthUser.js';
import type { Event } from './Event.js';
import type { EventRequest } from './EventRequest.js';

export const TICKET_TYPES = [
  'standard', 'vip', 'early_bird', 'premium', 'general', 'group', 'couple',
  'family', 'student', 'senior_citizen', 'disabled', 'other',
] as const;
export type TicketType = (typeof TICKET_TYPES)[number];
/** Shared by event_attendee.status and attendance_record.status. */
export const ATTENDANCE_STATUSES = ['going', 'not_going', 'maybe', 'checked_in', 'cancelled'] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];

/** event_attendee: a confirmed participant; one row per (event, user). Money fields are strings. */
export class EventAttendee extends Model<InferAttributes<EventAttendee>, InferCreationAttributes<EventAttendee>> {
  declare id: CreationOptional<number>;
  declare event_id: number;
  declare user_id: number;
  declare request_id: CreationOptional<number | null>;
  declare uuid: CreationOptional<string>;
  declare ticket_type: CreationOptional<TicketType>;
  declare seats: CreationOptional<number>;
  declare is_paid: CreationOptional<boolean>;
  declare price_paid: CreationOptional<string>;
  declare platform_fee: CreationOptional<string>;
  declare status: CreationOptional<AttendanceStatus>;
  declare checked_in_at: CreationOptional<Date | null>;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;

  declare event?: NonAttribute<Event>;
  declare user?: NonAttribute<AuthUser>;
  declare request?: NonAttribute<EventRequest | null>;

  static initModel(sequelize: Sequelize): void {
    EventAttendee.init(
      {
        id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
        event_id: { type: DataTypes.BIGINT, allowNull: false },
        user_id: { type: DataTypes.BIGINT, allowNull: false },
        request_id: { type: DataTypes.BIGINT, allowNull: true },
        uuid: { type: DataTypes.UUID, allowNull: false, defaultValue: DataTypes.UUIDV4, unique: true },
        ticket_type: { type: DataTypes.STRING(20), allowNull: false, defaultValue: 'standard', validate: { isIn: [[...TICKET_TYPES]] } },
        seats: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1, validate: { min: 1 } },
        is_paid: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        price_paid: { type: DataTypes.DECIMAL(10, 2), allowNull: false, defaultValue: '0.00', validate: { min: 0 } },
        platform_fee: { type: DataTypes.DECIMAL(10, 2), allowNull: false, defaultValue: '0.00', validate: { min: 0 } },
        status: { type: DataTypes.STRING(10), allowNull: false, defaultValue: 'going', validate: { isIn: [[...ATTENDANCE_STATUSES]] } },
        checked_in_at: { type: DataTypes.DATE, allowNull: true },
        created_at: { type: DataTypes.DATE, allowNull: false },
        updated_at: { type: DataTypes.DATE, allowNull: false },
      },
      {
        sequelize, tableName: 'event_attendee', modelName: 'EventAttendee',
        timestamps: true, createdAt: 'created_at', updatedAt: 'updated_at', underscored: true,
      },
    );
  }
}
