import {
  DataTypes, Model,
  type CreationOptional, type InferAttributes, type InferCreationAttributes, type NonAttribute, type Sequelize,
} from 'sequelize';
import type { AuthUser } from './AuthUser.js';

export const AUDIT_ACTIONS = [
  'create', 'update', 'delete', 'login', 'logout', 'password_change', 'profile_update',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
export const AUDIT_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type AuditSeverity = (typeof AUDIT_SEVERITIES)[number];

type Json = Record<string, unknown>;

/** audit_log: append-only trail; `command` names the domain command, prev_hash/row_hash chain the rows in seal_seq order (set by the sealer). */
export class AuditLog extends Model<InferAttributes<AuditLog>, InferCreationAttributes<AuditLog>> {
  declare id: CreationOptional<number>;
  declare actor_user_id: CreationOptional<number | null>;
  declare user_id: CreationOptional<number | null>;
  declare action: AuditAction;
  declare object_type: CreationOptional<string | null>;
  declare object_id: CreationOptional<number | null>;
  declare object_uuid: CreationOptional<string | null>;
  declare payload: CreationOptional<Json>;
  declare metadata: CreationOptional<Json>;
  declare old_values: CreationOptional<Json | null>;
  declare new_values: CreationOptional<Json | null>;
  declare ip_address: CreationOptional<string | null>;
  declare user_agent: CreationOptional<string | null>;
  declare session_key: CreationOptional<string | null>;
  declare severity: CreationOptional<AuditSeverity>;
  declare is_successful: CreationOptional<boolean>;
  declare error_message: CreationOptional<string | null>;
  declare command: CreationOptional<string | null>;
  declare subject_digest: string;
  declare prev_hash: CreationOptional<string | null>;
  declare row_hash: CreationOptional<string | null>;
  declare seal_seq: CreationOptional<number | null>;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;

  declare actor?: NonAttribute<AuthUser | null>;
  declare user?: NonAttribute<AuthUser | null>;

  static initModel(sequelize: Sequelize): void {
    AuditLog.init(
      {
        id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
        actor_user_id: { type: DataTypes.BIGINT, allowNull: true },
        user_id: { type: DataTypes.BIGINT, allowNull: true },
        action: { type: DataTypes.STRING(20), allowNull: false, validate: { isIn: [[...AUDIT_ACTIONS]] } },
        object_type: { type: DataTypes.STRING(100), allowNull: true },
        object_id: { type: DataTypes.BIGINT, allowNull: true },
        object_uuid: { type: DataTypes.STRING(64), allowNull: true },
        payload: { type: DataTypes.JSONB, allowNull: false, defaultValue: {} },
        metadata: { type: DataTypes.JSONB, allowNull: false, defaultValue: {} },
        old_values: { type: DataTypes.JSONB, allowNull: true },
        new_values: { type: DataTypes.JSONB, allowNull: true },
        ip_address: { type: DataTypes.INET, allowNull: true },
        user_agent: { type: DataTypes.TEXT, allowNull: true },
        session_key: { type: DataTypes.STRING(255), allowNull: true },
        severity: { type: DataTypes.STRING(10), allowNull: false, defaultValue: 'low', validate: { isIn: [[...AUDIT_SEVERITIES]] } },
        is_successful: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
        error_message: { type: DataTypes.TEXT, allowNull: true },
        command: { type: DataTypes.STRING(100), allowNull: true },
        subject_digest: { type: DataTypes.TEXT, allowNull: false },
        prev_hash: { type: DataTypes.TEXT, allowNull: true },
        row_hash: { type: DataTypes.TEXT, allowNull: true },
        seal_seq: { type: DataTypes.BIGINT, allowNull: true },
        created_at: { type: DataTypes.DATE, allowNull: false },
        updated_at: { type: DataTypes.DATE, allowNull: false },
      },
      {
        sequelize, tableName: 'audit_log', modelName: 'AuditLog',
        timestamps: true, createdAt: 'created_at', updatedAt: 'updated_at', underscored: true,
      },
    );
  }
}
