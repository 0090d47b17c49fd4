import {
  DataTypes, Model,
  type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize,
} from 'sequelize';
import type { HostEventType } from './WebhookEndpoint.js';

/** webhook_message: the host-event outbox, written in the transaction of the change it reports. */
export class WebhookMessage extends Model<InferAttributes<WebhookMessage>, InferCreationAttributes<WebhookMessage>> {
  declare id: CreationOptional<number>;
  declare uuid: CreationOptional<string>;
  declare host_id: number;
  declare event_id: number | null;
  declare type: HostEventType;
  declare payload: Record<string, unknown>;
  declare fanned_out_at: CreationOptional<Date | null>;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    WebhookMessage.init(
      {
        id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
        uuid: { type: DataTypes.UUID, allowNull: false, defaultValue: DataTypes.UUIDV4, unique: true },
        host_id: { type: DataTypes.BIGINT, allowNull: false },
        event_id: { type: DataTypes.BIGINT, allowNull: true },
        type: { type: DataTypes.STRING(40), allowNull: false },
        payload: { type: DataTypes.JSONB, allowNull: false },
        fanned_out_at: { type: DataTypes.DATE, allowNull: true },
        created_at: { type: DataTypes.DATE, allowNull: false },
        updated_at: { type: DataTypes.DATE, allowNull: false },
      },
      {
        sequelize, tableName: 'webhook_message', modelName: 'WebhookMessage',
        timestamps: true, createdAt: 'created_at', updatedAt: 'updated_at', underscored: true,
      },
    );
  }
}
