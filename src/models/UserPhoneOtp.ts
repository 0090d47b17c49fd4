import {
  DataTypes, Model,
  type CreationOptional, type InferAttributes, type InferCreationAttributes, type Sequelize,
} from 'sequelize';

export const OTP_TYPES = ['signup', 'login', 'password_reset', 'phone_verification', 'transaction'] as const;
export type OtpType = (typeof OTP_TYPES)[number];
export const OTP_STATUSES = ['pending', 'verified', 'expired', 'failed'] as const;
export type OtpStatus = (typeof OTP_STATUSES)[number];
export const OTP_MAX_ATTEMPTS = 3;

/** user_phone_otp: at most one pending code per phone (partial unique index). */
export class UserPhoneOtp extends Model<InferAttributes<UserPhoneOtp>, InferCreationAttributes<UserPhoneOtp>> {
  declare id: CreationOptional<number>;
  declare phone_number: string;
  declare otp_code: string; // HMAC of the code, never the code itself
  declare otp_type: CreationOptional<OtpType>;
  declare status: CreationOptional<OtpStatus>;
  declare is_verified: CreationOptional<boolean>;
  declare attempts: CreationOptional<number>;
  declare expires_at: Date;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): void {
    UserPhoneOtp.init(
      {
        id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
        phone_number: { type: DataTypes.STRING(20), allowNull: false },
        otp_code: { type: DataTypes.TEXT, allowNull: false },
        otp_type: { type: DataTypes.STRING(20), allowNull: false, defaultValue: 'signup', validate: { isIn: [[...OTP_TYPES]] } },
        status: { type: DataTypes.STRING(10), allowNull: false, defaultValue: 'pending', validate: { isIn: [[...OTP_STATUSES]] } },
        is_verified: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
        attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0, validate: { min: 0, max: OTP_MAX_ATTEMPTS } },
        expires_at: { type: DataTypes.DATE, allowNull: false },
        created_at: { type: DataTypes.DATE, allowNull: false },
        updated_at: { type: DataTypes.DATE, allowNull: false },
      },
      {
        sequelize, tableName: 'user_phone_otp', modelName: 'UserPhoneOtp',
        timestamps: true, createdAt: 'created_at', updatedAt: 'updated_at', underscored: true,
      },
    );
  }
}
