import {
  DataTypes, Model,
  type CreationOptional, type InferAttributes, type InferCreationAttributes, type NonAttribute, type Sequelize,
} from 'sequelize';
import type { AuthUser } from './AuthUser.js';
import type { Venue } from './Venue.js';
import type { EventInterest } from './EventInterest.js';
import type { EventImage } from './EventImage.js';
import type { EventRequest } from './EventRequest.js';
import type { EventInvite } from './EventInvite.js';
import type { EventAttendee } from './EventAttendee.js';
import type { EventInterestMap } from './EventInterestMap.js';
import type { CapacityReservation } from './CapacityReservation.js';
import type { AttendanceRecord } from './AttendanceRecord.js';

export const EVENT_STATUSES = ['draft', 'published', 'cancelled', 'completed', 'postponed'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];
export const ALLOWED_GENDERS = ['all', 'male', 'female', 'non_binary'] as const;
export type AllowedGenders = (typeof ALLOWED_GENDERS)[number];
export const MAX_COVER_IMAGES = 3;

/** event: the central entity. ticket_price is a DECIMAL(10,2) string ("499.00"). */
export class Event extends Model<InferAttributes<Event>, InferCreationAttributes<Event>> {
  declare id: CreationOptional<number>;
  declare host_id: number;
  declare venue_id: CreationOptional<number | null>;
  declare uuid: CreationOptional<string>;
  declare slug: string;
  declare title: string;
  declare description: string;
  declare venue_text: CreationOptional<string | null>;
  declare start_time: Date;
  declare end_time: Date;
  declare max_capacity: CreationOptional<number>; // 0 = unlimited
  declare going_count: CreationOptional<number>;
  declare requests_count: CreationOptional<number>;
  declare is_paid: CreationOptional<boolean>;
  declare ticket_price: CreationOptional<string>;
  declare allow_plus_one: CreationOptional<boolean>;
  /** A host's accept that finds the event full puts the request on the waitlist instead of refusing. */
  declare waitlist_enabled: CreationOptional<boolean>;
  declare gst_number: CreationOptional<string | null>;
  declare allowed_genders: CreationOptional<AllowedGenders>;
  declare cover_images: CreationOptional<string[]>;
  declare status: CreationOptional<EventStatus>;
  declare is_public: CreationOptional<boolean>;
  declare is_active: CreationOptional<boolean>;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;

  declare host?: NonAttribute<AuthUser>;
  declare venue?: NonAttribute<Venue | null>;
  declare interests?: NonAttribute<EventInterest[]>;
  declare images?: NonAttribute<EventImage[]>;
  declare interest_links?: NonAttribute<EventInterestMap[]>;
  declare requests?: NonAttribute<EventRequest[]>;
  declare invites?: NonAttribute<EventInvite[]>;
  declare attendees?: NonAttribute<EventAttendee[]>;
  declare reservations?: NonAttribute<CapacityReservation[]>;
  declare attendance_records?: NonAttribute<AttendanceRecord[]>;

  static initModel(sequelize: Sequelize): void {
    Event.init(
      {
        id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
        host_id: { type: DataTypes.BIGINT, allowNull: false },
        venue_id: { type: DataTypes.BIGINT, allowNull: true },
        uuid: { type: DataTypes.UUID, allowNull: false, defaultValue: DataTypes.UUIDV4, unique: true },
        slug: { type: DataTypes.STRING(255), allowNull: false, unique: true },
        title: { type: DataTypes.STRING(200), allowNull: false, validate: { len: [3, 200] } },
        description: { type: DataTypes.TEXT, allowNull: false, validate: { len: [10, Number.MAX_SAFE_INTEGER] } },
        venue_text: { type: DataTypes.STRING(255), allowNull: true },
        start_time: { type: DataTypes.DATE, allowNull: false },
        end_time: { type: DataTypes.DATE, allowNull: false },
        max_capacity: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0, validate: { min: 0 } },
        going_count: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0, validate: { min: 0 } },
        requests_count: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0, validate: { min: 0 } },
        is_paid: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        ticket_price: { type: DataTypes.DECIMAL(10, 2), allowNull: false, defaultValue: '0.00', validate: { min: 0 } },
        allow_plus_one: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        waitlist_enabled: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        gst_number: { type: DataTypes.STRING(50), allowNull: true },
        allowed_genders: {
          type: DataTypes.STRING(12), allowNull: false, defaultValue: 'all', validate: { isIn: [[...ALLOWED_GENDERS]] },
        },
        cover_images: { type: DataTypes.JSONB, allowNull: false, defaultValue: [] },
        status: { type: DataTypes.STRING(10), allowNull: false, defaultValue: 'draft', validate: { isIn: [[...EVENT_STATUSES]] } },
        is_public: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
        is_active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
        created_at: { type: DataTypes.DATE, allowNull: false },
        updated_at: { type: DataTypes.DATE, allowNull: false },
      },
      {
        sequelize, tableName: 'event', modelName: 'Event',
        timestamps: true, createdAt: 'created_at', updatedAt: 'updated_at', underscored: true,
      },
    );
  }
}
