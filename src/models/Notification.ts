import {
  DataTypes, Model,
  type CreationOptional, type InferAttributes, type InferCreationAttributes, type NonAttribute, type Sequelize,
} from 'sequelize';
import type { AuthUser } from './AuthUser.js';

export const NOTIFICATION_TYPES = [
  'event_request', 'event_invite', 'event_update', 'event_cancelled', 'payment_success',
  'payment_failed', 'reminder', 'system', 'promotional',
] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];
/** The email outbox state of a notification ('none': no email wanted). */
export const EMAIL_STATUSES = ['none', 'pending', 'sent', 'failed'] as const;
export type EmailStatus = (typeof EMAIL_STATUSES)[number];

/** notification: in-app message, doubling as the email outbox (email_* columns). */
export class Notification extends Model<InferAttributes<Notification>, InferCreationAttributes<Notification>> {
  declare id: CreationOptional<number>;
  declare recipient_id: number;
  declare sender_id: CreationOptional<number | null>;
  declare uuid: CreationOptional<string>;
  declare type: NotificationType;
  declare title: string;
  declare message: string;
  declare reference_type: CreationOptional<string | null>;
  declare reference_id: CreationOptional<number | null>;
  declare is_read: CreationOptional<boolean>;
  declare metadata: CreationOptional<Record<string, unknown>>;
  declare email_status: CreationOptional<EmailStatus>;
  declare email_attempts: CreationOptional<number>;
  declare email_next_attempt_at: CreationOptional<Date | null>;
  declare email_last_error: CreationOptional<string | null>;
  declare emailed_at: CreationOptional<Date | null>;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;

  declare recipient?: NonAttribute<AuthUser>;
  declare sender?: NonAttribute<AuthUser | null>;

  static initModel(sequelize: Sequelize): void {
    Notification.init(
      {
        id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
        recipient_id: { type: DataTypes.BIGINT, allowNull: false },
        sender_id: { type: DataTypes.BIGINT, allowNull: true },
        uuid: { type: DataTypes.UUID, allowNull: false, defaultValue: DataTypes.UUIDV4, unique: true },
        type: { type: DataTypes.STRING(20), allowNull: false, validate: { isIn: [[...NOTIFICATION_TYPES]] } },
        title: { type: DataTypes.STRING(200), allowNull: false, validate: { len: [1, 200] } },
        message: { type: DataTypes.TEXT, allowNull: false },
        reference_type: { type: DataTypes.STRING(50), allowNull: true },
        reference_id: { type: DataTypes.BIGINT, allowNull: true },
        is_read: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        metadata: { type: DataTypes.JSONB, allowNull: false, defaultValue: {} },
        email_status: {
          type: DataTypes.STRING(10), allowNull: false, defaultValue: 'none', validate: { isIn: [[...EMAIL_STATUSES]] },
        },
        email_attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0, validate: { min: 0 } },
        email_next_attempt_at: { type: DataTypes.DATE, allowNull: true },
        email_last_error: { type: DataTypes.TEXT, allowNull: true },
        emailed_at: { type: DataTypes.DATE, allowNull: true },
        created_at: { type: DataTypes.DATE, allowNull: false },
        updated_at: { type: DataTypes.DATE, allowNull: false },
      },
      {
        sequelize, tableName: 'notification', modelName: 'Notification',
        timestamps: true, createdAt: 'created_at', updatedAt: 'updated_at', underscored: true,
      },
    );
  }
}
