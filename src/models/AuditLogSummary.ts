import {
  DataTypes, Model,
  type CreationOptional, type InferAttributes, type InferCreationAttributes, type NonAttribute, type Sequelize,
} from 'sequelize';
import type { AuthUser } from './AuthUser.js';
import { AUDIT_ACTIONS, type AuditAction } from './AuditLog.js';

/** audit_log_summary: one row per (date, user or none, action); count = successful + failed. */
export class AuditLogSummary extends Model<InferAttributes<AuditLogSummary>, InferCreationAttributes<AuditLogSummary>> {
  declare id: CreationOptional<number>;
  declare date: string; // DATEONLY: 'YYYY-MM-DD'
  declare user_id: CreationOptional<number | null>;
  declare action: AuditAction;
  declare count: CreationOptional<number>;
  declare successful_count: CreationOptional<number>;
  declare failed_count: CreationOptional<number>;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;

  declare user?: NonAttribute<AuthUser | null>;

  static initModel(sequelize: Sequelize): void {
    AuditLogSummary.init(
      {
        id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
        date: { type: DataTypes.DATEONLY, allowNull: false },
        user_id: { type: DataTypes.BIGINT, allowNull: true },
        action: { type: DataTypes.STRING(20), allowNull: false, validate: { isIn: [[...AUDIT_ACTIONS]] } },
        count: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0, validate: { min: 0 } },
        successful_count: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0, validate: { min: 0 } },
        failed_count: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0, validate: { min: 0 } },
        created_at: { type: DataTypes.DATE, allowNull: false },
        updated_at: { type: DataTypes.DATE, allowNull: false },
      },
      {
        sequelize, tableName: 'audit_log_summary', modelName: 'AuditLogSummary',
        timestamps: true, createdAt: 'created_at', updatedAt: 'updated_at', underscored: true,
      },
    );
  }
}
