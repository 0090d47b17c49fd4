import {
  DataTypes, Model,
  type CreationOptional, type InferAttributes, type InferCreationAttributes, type NonAttribute, type Sequelize,
} from 'sequelize';
import type { AuthUser } from './AuthUser.js';
import type { Event } from './Event.js';
import type { PaymentTransaction } from './PaymentTransaction.js';
import type { PaymentWebhook } from './PaymentWebhook.js';
import type { CapacityReservation } from './CapacityReservation.js';

export const CURRENCIES = ['INR', 'USD', 'EUR', 'GBP'] as const;
export type Currency = (typeof CURRENCIES)[number];
export const PAYMENT_ORDER_STATUSES = [
  'created', 'pending', 'paid', 'completed', 'failed', 'cancelled', 'refunded', 'unpaid',
] as const;
export type PaymentOrderStatus = (typeof PAYMENT_ORDER_STATUSES)[number];
export const PAYMENT_PROVIDERS = [
  'razorpay', 'stripe', 'paypal', 'paytm', 'phonepe', 'gpay', 'cash', 'bank_transfer',
] as const;
export type PaymentProvider = (typeof PAYMENT_PROVIDERS)[number];

/** payment_order: amount and refund_amount are DECIMAL(10,2) strings; refund_amount ≤ amount. */
export class PaymentOrder extends Model<InferAttributes<PaymentOrder>, InferCreationAttributes<PaymentOrder>> {
  declare id: CreationOptional<number>;
  declare event_id: number;
  declare user_id: number;
  declare uuid: CreationOptional<string>;
  declare order_reference: string;
  declare order_id: string;
  declare amount: string;
  declare currency: CreationOptional<Currency>;
  declare status: CreationOptional<PaymentOrderStatus>;
  declare payment_provider: PaymentProvider;
  declare provider_payment_id: CreationOptional<string | null>;
  declare provider_response: CreationOptional<Record<string, unknown>>;
  declare payment_method: CreationOptional<string | null>;
  declare transaction_id: CreationOptional<string | null>;
  declare failure_reason: CreationOptional<string | null>;
  declare refund_amount: CreationOptional<string>;
  declare refund_reason: CreationOptional<string | null>;
  declare refunded_at: CreationOptional<Date | null>;
  declare expires_at: Date;
  declare reservation_id: CreationOptional<number | null>;
  // The snapshot taken when the order is placed (migration 0600); never changed afterwards.
  declare unit_price: CreationOptional<string | null>;
  declare seats: CreationOptional<number | null>;
  declare platform_fee: CreationOptional<string>;
  declare host_share: CreationOptional<string | null>;
  declare fee_percent: CreationOptional<string | null>;
  declare fee_fixed: CreationOptional<string | null>;
  declare paid_at: CreationOptional<Date | null>;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;

  declare event?: NonAttribute<Event>;
  declare user?: NonAttribute<AuthUser>;
  declare transactions?: NonAttribute<PaymentTransaction[]>;
  declare webhooks?: NonAttribute<PaymentWebhook[]>;
  declare reservation?: NonAttribute<CapacityReservation | null>;

  static initModel(sequelize: Sequelize): void {
    PaymentOrder.init(
      {
        id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
        event_id: { type: DataTypes.BIGINT, allowNull: false },
        user_id: { type: DataTypes.BIGINT, allowNull: false },
        uuid: { type: DataTypes.UUID, allowNull: false, defaultValue: DataTypes.UUIDV4, unique: true },
        order_reference: { type: DataTypes.STRING(64), allowNull: false, unique: true },
        order_id: { type: DataTypes.STRING(64), allowNull: false, unique: true },
        amount: { type: DataTypes.DECIMAL(10, 2), allowNull: false, validate: { min: 0.01 } },
        currency: { type: DataTypes.STRING(3), allowNull: false, defaultValue: 'INR', validate: { isIn: [[...CURRENCIES]] } },
        status: {
          type: DataTypes.STRING(10), allowNull: false, defaultValue: 'created', validate: { isIn: [[...PAYMENT_ORDER_STATUSES]] },
        },
        payment_provider: { type: DataTypes.STRING(20), allowNull: false, validate: { isIn: [[...PAYMENT_PROVIDERS]] } },
        provider_payment_id: { type: DataTypes.STRING(255), allowNull: true },
        provider_response: { type: DataTypes.JSONB, allowNull: false, defaultValue: {} },
        payment_method: { type: DataTypes.STRING(50), allowNull: true },
        transaction_id: { type: DataTypes.STRING(255), allowNull: true },
        failure_reason: { type: DataTypes.TEXT, allowNull: true },
        refund_amount: { type: DataTypes.DECIMAL(10, 2), allowNull: false, defaultValue: '0.00', validate: { min: 0 } },
        refund_reason: { type: DataTypes.TEXT, allowNull: true },
        refunded_at: { type: DataTypes.DATE, allowNull: true },
        expires_at: { type: DataTypes.DATE, allowNull: false },
        reservation_id: { type: DataTypes.BIGINT, allowNull: true },
        unit_price: { type: DataTypes.DECIMAL(10, 2), allowNull: true },
        seats: { type: DataTypes.INTEGER, allowNull: true },
        platform_fee: { type: DataTypes.DECIMAL(10, 2), allowNull: false, defaultValue: '0.00' },
        host_share: { type: DataTypes.DECIMAL(10, 2), allowNull: true },
        fee_percent: { type: DataTypes.DECIMAL(5, 2), allowNull: true },
        fee_fixed: { type: DataTypes.DECIMAL(10, 2), allowNull: true },
        paid_at: { type: DataTypes.DATE, allowNull: true },
        created_at: { type: DataTypes.DATE, allowNull: false },
        updated_at: { type: DataTypes.DATE, allowNull: false },
      },
      {
        sequelize, tableName: 'payment_order', modelName: 'PaymentOrder',
        timestamps: true, createdAt: 'created_at', updatedAt: 'updated_at', underscored: true,
      },
    );
  }
}
