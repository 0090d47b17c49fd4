import {
  DataTypes, Model,
  type CreationOptional, type InferAttributes, type InferCreationAttributes, type NonAttribute, type Sequelize,
} from 'sequelize';
import type { WebhookEndpoint } from './WebhookEndpoint.js';
import type { WebhookMessage } from './WebhookMessage.js';

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/** webhook_delivery: one outbox message to one endpoint, with its attempts (the delivery log). */
export class WebhookDelivery extends Model<InferAttributes<WebhookDelivery>, InferCreationAttributes<WebhookDelivery>> {
  declare id: CreationOptional<number>;
  declare uuid: CreationOptional<string>;
  declare endpoint_id: number;
  declare message_id: number;
  declare status: CreationOptional<WebhookDeliveryStatus>;
  declare attempts: CreationOptional<number>;
  declare next_attempt_at: CreationOptional<Date | null>;
  declare last_attempt_at: CreationOptional<Date | null>;
  declare last_status_code: CreationOptional<number | null>;
  declare last_error: CreationOptional<string | null>;
  declare delivered_at: CreationOptional<Date | null>;
  /** Retries stop here: 24 h after the change (or after a redelivery was asked for). */
  declare deadline_at: Date;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;

  declare endpoint?: NonAttribute<WebhookEndpoint>;
  declare message?: NonAttribute<WebhookMessage>;

  static initModel(sequelize: Sequelize): void {
    WebhookDelivery.init(
      {
        id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
        uuid: { type: DataTypes.UUID, allowNull: false, defaultValue: DataTypes.UUIDV4, unique: true },
        endpoint_id: { type: DataTypes.BIGINT, allowNull: false },
        message_id: { type: DataTypes.BIGINT, allowNull: false },
        status: { type: DataTypes.STRING(10), allowNull: false, defaultValue: 'pending', validate: { isIn: [[...WEBHOOK_DELIVERY_STATUSES]] } },
        attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        next_attempt_at: { type: DataTypes.DATE, allowNull: true },
        last_attempt_at: { type: DataTypes.DATE, allowNull: true },
        last_status_code: { type: DataTypes.INTEGER, allowNull: true },
        last_error: { type: DataTypes.TEXT, allowNull: true },
        delivered_at: { type: DataTypes.DATE, allowNull: true },
        deadline_at: { type: DataTypes.DATE, allowNull: false },
        created_at: { type: DataTypes.DATE, allowNull: false },
        updated_at: { type: DataTypes.DATE, allowNull: false },
      },
      {
        sequelize, tableName: 'webhook_delivery', modelName: 'WebhookDelivery',
        timestamps: true, createdAt: 'created_at', updatedAt: 'updated_at', underscored: true,
      },
    );
  }
}
