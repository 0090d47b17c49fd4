import {
  DataTypes, Model,
  type CreationOptional, type InferAttributes, type InferCreationAttributes, type NonAttribute, type Sequelize,
} from 'sequelize';
import type { AuthUser } from './AuthUser.js';

/** The host event types a webhook endpoint may subscribe to (API.md "Host webhooks"). */
export const HOST_EVENT_TYPES = [
  'request.created', 'request.accepted', 'order.paid', 'order.refunded', 'attendee.checked_in', 'event.cancelled',
] as const;
export type HostEventType = (typeof HOST_EVENT_TYPES)[number];

/** webhook_endpoint: a host's receiver of signed event deliveries; the secret is stored encrypted. */
export class WebhookEndpoint extends Model<InferAttributes<WebhookEndpoint>, InferCreationAttributes<WebhookEndpoint>> {
  declare id: CreationOptional<number>;
  declare uuid: CreationOptional<string>;
  declare host_id: number;
  declare url: string;
  declare events: HostEventType[];
  declare secret_encrypted: string;
  declare is_active: CreationOptional<boolean>;
  declare failing_since: CreationOptional<Date | null>;
  declare disabled_at: CreationOptional<Date | null>;
  declare disabled_reason: CreationOptional<string | null>;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;

  declare host?: NonAttribute<AuthUser>;

  static initModel(sequelize: Sequelize): void {
    WebhookEndpoint.init(
      {
        id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
        uuid: { type: DataTypes.UUID, allowNull: false, defaultValue: DataTypes.UUIDV4, unique: true },
        host_id: { type: DataTypes.BIGINT, allowNull: false },
        url: { type: DataTypes.STRING(2000), allowNull: false },
        events: { type: DataTypes.ARRAY(DataTypes.TEXT), allowNull: false },
        secret_encrypted: { type: DataTypes.TEXT, allowNull: false },
        is_active: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
        failing_since: { type: DataTypes.DATE, allowNull: true },
        disabled_at: { type: DataTypes.DATE, allowNull: true },
        disabled_reason: { type: DataTypes.TEXT, allowNull: true },
        created_at: { type: DataTypes.DATE, allowNull: false },
        updated_at: { type: DataTypes.DATE, allowNull: false },
      },
      {
        sequelize, tableName: 'webhook_endpoint', modelName: 'WebhookEndpoint',
        timestamps: true, createdAt: 'created_at', updatedAt: 'updated_at', underscored: true,
      },
    );
  }
}
