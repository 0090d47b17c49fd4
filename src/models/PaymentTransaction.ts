import {
  DataTypes, Model,
  type CreationOptional, type InferAttributes, type InferCreationAttributes, type NonAttribute, type Sequelize,
} from 'sequelize';
import type { PaymentOrder } from './PaymentOrder.js';

export const TRANSACTION_TYPES = ['payment', 'refund', 'chargeback'] as const;
export type TransactionType = (typeof TRANSACTION_TYPES)[number];
export const TRANSACTION_STATUSES = ['pending', 'completed', 'failed'] as const;
export type TransactionStatus = (typeof TRANSACTION_STATUSES)[number];

/** payment_transaction: one money movement of an order (amount ≥ 0.01, DECIMAL string). */
export class PaymentTransaction extends Model<
  InferAttributes<PaymentTransaction>, InferCreationAttributes<PaymentTransaction>
> {
  declare id: CreationOptional<number>;
  declare payment_order_id: number;
  declare transaction_type: TransactionType;
  declare amount: string;
  declare provider_transaction_id: CreationOptional<string | null>;
  declare status: CreationOptional<TransactionStatus>;
  declare provider_response: CreationOptional<Record<string, unknown>>;
  declare failure_reason: CreationOptional<string | null>;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;

  declare order?: NonAttribute<PaymentOrder>;

  static initModel(sequelize: Sequelize): void {
    PaymentTransaction.init(
      {
        id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
        payment_order_id: { type: DataTypes.BIGINT, allowNull: false },
        transaction_type: { type: DataTypes.STRING(12), allowNull: false, validate: { isIn: [[...TRANSACTION_TYPES]] } },
        amount: { type: DataTypes.DECIMAL(10, 2), allowNull: false, validate: { min: 0.01 } },
        provider_transaction_id: { type: DataTypes.STRING(255), allowNull: true },
        status: {
          type: DataTypes.STRING(10), allowNull: false, defaultValue: 'pending', validate: { isIn: [[...TRANSACTION_STATUSES]] },
        },
        provider_response: { type: DataTypes.JSONB, allowNull: false, defaultValue: {} },
        failure_reason: { type: DataTypes.TEXT, allowNull: true },
        created_at: { type: DataTypes.DATE, allowNull: false },
        updated_at: { type: DataTypes.DATE, allowNull: false },
      },
      {
        sequelize, tableName: 'payment_transaction', modelName: 'PaymentTransaction',
        timestamps: true, createdAt: 'created_at', updatedAt: 'updated_at', underscored: true,
      },
    );
  }
}
