import {
  DataTypes, Model,
  type CreationOptional, type InferAttributes, type InferCreationAttributes, type NonAttribute, type Sequelize,
} from 'sequelize';
import type { AttendanceRecord } from './AttendanceRecord.js';

export const ATTENDANCE_OTP_MAX_ATTEMPTS = 3;

/** attendance_otp: a one-time check-in code, stored as an HMAC. */
export class AttendanceOtp extends Model<InferAttributes<AttendanceOtp>, InferCreationAttributes<AttendanceOtp>> {
  declare id: CreationOptional<number>;
  declare attendance_record_id: number;
  declare otp_code: string;
  declare is_used: CreationOptional<boolean>;
  declare attempts: CreationOptional<number>;
  declare expires_at: Date;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;

  declare attendance_record?: NonAttribute<AttendanceRecord>;

  static initModel(sequelize: Sequelize): void {
    AttendanceOtp.init(
      {
        id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
        attendance_record_id: { type: DataTypes.BIGINT, allowNull: false },
        otp_code: { type: DataTypes.TEXT, allowNull: false },
        is_used: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        attempts: {
          type: DataTypes.INTEGER, allowNull: false, defaultValue: 0, validate: { min: 0, max: ATTENDANCE_OTP_MAX_ATTEMPTS },
        },
        expires_at: { type: DataTypes.DATE, allowNull: false },
        created_at: { type: DataTypes.DATE, allowNull: false },
        updated_at: { type: DataTypes.DATE, allowNull: false },
      },
      {
        sequelize, tableName: 'attendance_otp', modelName: 'AttendanceOtp',
        timestamps: true, createdAt: 'created_at', updatedAt: 'updated_at', underscored: true,
      },
    );
  }
}
