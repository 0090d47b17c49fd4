import {
  DataTypes, Model,
  type CreationOptional, type InferAttributes, type InferCreationAttributes, type NonAttribute, type Sequelize,
} from 'sequelize';
import type { AuthUser } from './AuthUser.js';
import type { Event } from './Event.js';
import type { TicketSecret } from './TicketSecret.js';
import type { AttendanceOtp } from './AttendanceOtp.js';
import { ATTENDANCE_STATUSES, type AttendanceStatus } from './EventAttendee.js';
import type { EventAttendee } from './EventAttendee.js';
import type { PaymentOrder } from './PaymentOrder.js';

export { ATTENDANCE_STATUSES, type AttendanceStatus };
export const ATTENDANCE_PAYMENT_STATUSES = ['unpaid', 'paid', 'refunded'] as const;
export type AttendancePaymentStatus = (typeof ATTENDANCE_PAYMENT_STATUSES)[number];

/**
 * attendance_record: a ticket. `ticket_secret` holds only a non-secret lookup id (or null);
 * the secret itself lives hashed in ticket_secret.
 */
export class AttendanceRecord extends Model<InferAttributes<AttendanceRecord>, InferCreationAttributes<AttendanceRecord>> {
  declare id: CreationOptional<number>;
  declare uuid: CreationOptional<string>;
  declare event_id: number;
  declare user_id: number;
  declare status: CreationOptional<AttendanceStatus>;
  declare payment_status: CreationOptional<AttendancePaymentStatus>;
  declare ticket_secret: CreationOptional<string | null>;
  declare seats: CreationOptional<number>;
  declare checked_in_at: CreationOptional<Date | null>;
  declare checked_out_at: CreationOptional<Date | null>;
  declare notes: CreationOptional<string | null>;
  declare payment_order_id: CreationOptional<number | null>;
  declare attendee_id: CreationOptional<number | null>;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;

  declare event?: NonAttribute<Event>;
  declare user?: NonAttribute<AuthUser>;
  declare secret?: NonAttribute<TicketSecret | null>;
  declare otps?: NonAttribute<AttendanceOtp[]>;
  declare attendee?: NonAttribute<EventAttendee | null>;
  declare order?: NonAttribute<PaymentOrder | null>;

  static initModel(sequelize: Sequelize): void {
    AttendanceRecord.init(
      {
        id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
        uuid: { type: DataTypes.UUID, allowNull: false, defaultValue: DataTypes.UUIDV4, unique: true },
        event_id: { type: DataTypes.BIGINT, allowNull: false },
        user_id: { type: DataTypes.BIGINT, allowNull: false },
        status: { type: DataTypes.STRING(10), allowNull: false, defaultValue: 'going', validate: { isIn: [[...ATTENDANCE_STATUSES]] } },
        payment_status: {
          type: DataTypes.STRING(10), allowNull: false, defaultValue: 'unpaid', validate: { isIn: [[...ATTENDANCE_PAYMENT_STATUSES]] },
        },
        ticket_secret: { type: DataTypes.STRING(64), allowNull: true, unique: true },
        seats: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 1, validate: { min: 1 } },
        checked_in_at: { type: DataTypes.DATE, allowNull: true },
        checked_out_at: { type: DataTypes.DATE, allowNull: true },
        notes: { type: DataTypes.TEXT, allowNull: true },
        payment_order_id: { type: DataTypes.BIGINT, allowNull: true },
        attendee_id: { type: DataTypes.BIGINT, allowNull: true },
        created_at: { type: DataTypes.DATE, allowNull: false },
        updated_at: { type: DataTypes.DATE, allowNull: false },
      },
      {
        sequelize, tableName: 'attendance_record', modelName: 'AttendanceRecord',
        timestamps: true, createdAt: 'created_at', updatedAt: 'updated_at', underscored: true,
      },
    );
  }
}
