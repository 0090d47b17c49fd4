import {
  DataTypes, Model,
  type CreationOptional, type InferAttributes, type InferCreationAttributes, type NonAttribute, type Sequelize,
} from 'sequelize';
import type { AuthUser } from './AuthUser.js';

export const PAYOUT_STATUSES = ['pending', 'approved', 'processing', 'completed', 'failed'] as const;
export type PayoutStatus = (typeof PAYOUT_STATUSES)[number];
/** Statuses of a payout still in flight: at most one per host and currency (partial unique index). */
export const OPEN_PAYOUT_STATUSES = ['pending', 'approved', 'processing'] as const satisfies readonly PayoutStatus[];

/** payout: money leaving the platform for a host; its ledger entry is written when it is created. */
export class Payout extends Model<InferAttributes<Payout>, InferCreationAttributes<Payout>> {
  declare id: CreationOptional<number>;
  declare uuid: CreationOptional<string>;
  declare host_id: number;
  declare amount: string;
  declare currency: string;
  declare status: CreationOptional<PayoutStatus>;
  declare reference: CreationOptional<string | null>;
  declare failure_reason: CreationOptional<string | null>;
  declare created_by_id: CreationOptional<number | null>;
  declare approved_by_id: CreationOptional<number | null>;
  declare approved_at: CreationOptional<Date | null>;
  declare processing_at: CreationOptional<Date | null>;
  declare completed_by_id: CreationOptional<number | null>;
  declare completed_at: CreationOptional<Date | null>;
  declare failed_at: CreationOptional<Date | null>;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;

  declare host?: NonAttribute<AuthUser>;

  static initModel(sequelize: Sequelize): void {
    Payout.init(
      {
        id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
        uuid: { type: DataTypes.UUID, allowNull: false, defaultValue: DataTypes.UUIDV4, unique: true },
        host_id: { type: DataTypes.BIGINT, allowNull: false },
        amount: { type: DataTypes.DECIMAL(10, 2), allowNull: false },
        currency: { type: DataTypes.STRING(3), allowNull: false },
        status: { type: DataTypes.STRING(12), allowNull: false, defaultValue: 'pending', validate: { isIn: [[...PAYOUT_STATUSES]] } },
        reference: { type: DataTypes.STRING(255), allowNull: true },
        failure_reason: { type: DataTypes.TEXT, allowNull: true },
        created_by_id: { type: DataTypes.BIGINT, allowNull: true },
        approved_by_id: { type: DataTypes.BIGINT, allowNull: true },
        approved_at: { type: DataTypes.DATE, allowNull: true },
        processing_at: { type: DataTypes.DATE, allowNull: true },
        completed_by_id: { type: DataTypes.BIGINT, allowNull: true },
        completed_at: { type: DataTypes.DATE, allowNull: true },
        failed_at: { type: DataTypes.DATE, allowNull: true },
        created_at: { type: DataTypes.DATE, allowNull: false },
        updated_at: { type: DataTypes.DATE, allowNull: false },
      },
      {
        sequelize, tableName: 'payout', modelName: 'Payout',
        timestamps: true, createdAt: 'created_at', updatedAt: 'updated_at', underscored: true,
      },
    );
  }
}
