import {
  DataTypes, Model,
  type CreationOptional, type InferAttributes, type InferCreationAttributes, type NonAttribute, type Sequelize,
} from 'sequelize';
import type { AttendanceRecord } from './AttendanceRecord.js';

/** ticket_secret: one per attendance record; secret_lookup (HMAC) finds it, secret_hash proves it. */
export class TicketSecret extends Model<InferAttributes<TicketSecret>, InferCreationAttributes<TicketSecret>> {
  declare id: CreationOptional<number>;
  declare attendance_record_id: number;
  declare secret_hash: string;
  declare secret_salt: string;
  declare secret_lookup: CreationOptional<string | null>;
  declare is_redeemed: CreationOptional<boolean>;
  declare redeemed_at: CreationOptional<Date | null>;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;

  declare attendance_record?: NonAttribute<AttendanceRecord>;

  static initModel(sequelize: Sequelize): void {
    TicketSecret.init(
      {
        id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
        attendance_record_id: { type: DataTypes.BIGINT, allowNull: false, unique: true },
        secret_hash: { type: DataTypes.TEXT, allowNull: false },
        secret_salt: { type: DataTypes.TEXT, allowNull: false },
        secret_lookup: { type: DataTypes.TEXT, allowNull: true, unique: true },
        is_redeemed: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        redeemed_at: { type: DataTypes.DATE, allowNull: true },
        created_at: { type: DataTypes.DATE, allowNull: false },
        updated_at: { type: DataTypes.DATE, allowNull: false },
      },
      {
        sequelize, tableName: 'ticket_secret', modelName: 'TicketSecret',
        timestamps: true, createdAt: 'created_at', updatedAt: 'updated_at', underscored: true,
      },
    );
  }
}
