import {
  DataTypes, Model,
  type CreationOptional, type InferAttributes, type InferCreationAttributes, type NonAttribute, type Sequelize,
} from 'sequelize';
import { PAYMENT_PROVIDERS, type PaymentOrder, type PaymentProvider } from './PaymentOrder.js';

/** payment_webhook: every delivery, stored; (provider, provider_event_id) is unique for idempotency. */
export class PaymentWebhook extends Model<InferAttributes<PaymentWebhook>, InferCreationAttributes<PaymentWebhook>> {
  declare id: CreationOptional<number>;
  declare payment_order_id: CreationOptional<number | null>;
  declare provider: PaymentProvider;
  declare provider_event_id: CreationOptional<string | null>;
  declare webhook_type: CreationOptional<string>;
  declare payload: CreationOptional<Record<string, unknown>>;
  declare signature: CreationOptional<string | null>;
  declare processed: CreationOptional<boolean>;
  declare processing_error: CreationOptional<string | null>;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;

  declare order?: NonAttribute<PaymentOrder | null>;

  static initModel(sequelize: Sequelize): void {
    PaymentWebhook.init(
      {
        id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
        payment_order_id: { type: DataTypes.BIGINT, allowNull: true },
        provider: { type: DataTypes.STRING(20), allowNull: false, validate: { isIn: [[...PAYMENT_PROVIDERS]] } },
        provider_event_id: { type: DataTypes.STRING(255), allowNull: true },
        webhook_type: { type: DataTypes.STRING(100), allowNull: false, defaultValue: 'unknown' },
        payload: { type: DataTypes.JSONB, allowNull: false, defaultValue: {} },
        signature: { type: DataTypes.TEXT, allowNull: true },
        processed: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        processing_error: { type: DataTypes.TEXT, allowNull: true },
        created_at: { type: DataTypes.DATE, allowNull: false },
        updated_at: { type: DataTypes.DATE, allowNull: false },
      },
      {
        sequelize, tableName: 'payment_webhook', modelName: 'PaymentWebhook',
        timestamps: true, createdAt: 'created_at', updatedAt: 'updated_at', underscored: true,
      },
    );
  }
}
