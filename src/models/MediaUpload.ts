import {
  DataTypes, Model,
  type CreationOptional, type InferAttributes, type InferCreationAttributes, type NonAttribute, type Sequelize,
} from 'sequelize';
import type { AuthUser } from './AuthUser.js';

export const UPLOAD_CONTENT_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type UploadContentType = (typeof UPLOAD_CONTENT_TYPES)[number];

/** media_upload: one stored upload (re-encoded image), its owner and dimensions (migration 0900). */
export class MediaUpload extends Model<InferAttributes<MediaUpload>, InferCreationAttributes<MediaUpload>> {
  declare id: CreationOptional<number>;
  declare uuid: CreationOptional<string>;
  declare owner_id: number | null;
  declare storage_key: string;
  declare content_type: UploadContentType;
  declare byte_size: number;
  declare width: number;
  declare height: number;
  declare sha256: string;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;

  declare owner?: NonAttribute<AuthUser | null>;

  static initModel(sequelize: Sequelize): void {
    MediaUpload.init(
      {
        id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
        uuid: { type: DataTypes.UUID, allowNull: false, defaultValue: DataTypes.UUIDV4, unique: true },
        owner_id: { type: DataTypes.BIGINT, allowNull: true },
        storage_key: { type: DataTypes.STRING(100), allowNull: false, unique: true },
        content_type: { type: DataTypes.STRING(20), allowNull: false, validate: { isIn: [[...UPLOAD_CONTENT_TYPES]] } },
        byte_size: { type: DataTypes.INTEGER, allowNull: false },
        width: { type: DataTypes.INTEGER, allowNull: false },
        height: { type: DataTypes.INTEGER, allowNull: false },
        sha256: { type: DataTypes.CHAR(64), allowNull: false },
        created_at: { type: DataTypes.DATE, allowNull: false },
        updated_at: { type: DataTypes.DATE, allowNull: false },
      },
      {
        sequelize, tableName: 'media_upload', modelName: 'MediaUpload',
        timestamps: true, createdAt: 'created_at', updatedAt: 'updated_at', underscored: true,
      },
    );
  }
}
