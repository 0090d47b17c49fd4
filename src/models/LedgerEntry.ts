import {
  DataTypes, Model,
  type CreationOptional, type InferAttributes, type InferCreationAttributes, type NonAttribute, type Sequelize,
} from 'sequelize';
import type { AuthUser } from './AuthUser.js';
import type { Event } from './Event.js';
import type { PaymentOrder } from './PaymentOrder.js';
import type { Payout } from './Payout.js';

export const LEDGER_KINDS = ['sale', 'fee', 'refund', 'chargeback', 'payout', 'adjustment'] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

/**
 * ledger_entry: append-only (a trigger refuses UPDATE/DELETE/TRUNCATE); amount is a signed
 * DECIMAL(10,2) string whose sign the kind fixes. Written only by src/modules/money/ledger.ts.
 */
export class LedgerEntry extends Model<InferAttributes<LedgerEntry>, InferCreationAttributes<LedgerEntry>> {
  declare id: CreationOptional<number>;
  declare uuid: CreationOptional<string>;
  declare host_id: number;
  declare kind: LedgerKind;
  declare amount: string;
  declare currency: string;
  declare event_id: CreationOptional<number | null>;
  declare payment_order_id: CreationOptional<number | null>;
  declare payment_transaction_id: CreationOptional<number | null>;
  declare payout_id: CreationOptional<number | null>;
  declare reverses_id: CreationOptional<number | null>;
  declare entry_key: string;
  declare reason: CreationOptional<string | null>;
  declare created_by_id: CreationOptional<number | null>;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;

  declare host?: NonAttribute<AuthUser>;
  declare event?: NonAttribute<Event | null>;
  declare order?: NonAttribute<PaymentOrder | null>;
  declare payout?: NonAttribute<Payout | null>;

  static initModel(sequelize: Sequelize): void {
    LedgerEntry.init(
      {
        id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
        uuid: { type: DataTypes.UUID, allowNull: false, defaultValue: DataTypes.UUIDV4, unique: true },
        host_id: { type: DataTypes.BIGINT, allowNull: false },
        kind: { type: DataTypes.STRING(12), allowNull: false, validate: { isIn: [[...LEDGER_KINDS]] } },
        amount: { type: DataTypes.DECIMAL(10, 2), allowNull: false },
        currency: { type: DataTypes.STRING(3), allowNull: false },
        event_id: { type: DataTypes.BIGINT, allowNull: true },
        payment_order_id: { type: DataTypes.BIGINT, allowNull: true },
        payment_transaction_id: { type: DataTypes.BIGINT, allowNull: true },
        payout_id: { type: DataTypes.BIGINT, allowNull: true },
        reverses_id: { type: DataTypes.BIGINT, allowNull: true },
        entry_key: { type: DataTypes.STRING(100), allowNull: false, unique: true },
        reason: { type: DataTypes.TEXT, allowNull: true },
        created_by_id: { type: DataTypes.BIGINT, allowNull: true },
        created_at: { type: DataTypes.DATE, allowNull: false },
        updated_at: { type: DataTypes.DATE, allowNull: false },
      },
      {
        sequelize, tableName: 'ledger_entry', modelName: 'LedgerEntry',
        timestamps: true, createdAt: 'created_at', updatedAt: 'updated_at', underscored: true,
      },
    );
  }
}
