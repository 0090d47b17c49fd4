import {
  DataTypes, Model,
  type CreationOptional, type InferAttributes, type InferCreationAttributes, type NonAttribute, type Sequelize,
} from 'sequelize';
import type { Event } from './Event.js';

/** event_image: extra, ordered images of an event. */
export class EventImage extends Model<InferAttributes<EventImage>, InferCreationAttributes<EventImage>> {
  declare id: CreationOptional<number>;
  declare event_id: number;
  declare uuid: CreationOptional<string>; // added by migration 0301
  declare image_url: string;
  declare position: CreationOptional<number>;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;

  declare event?: NonAttribute<Event>;

  static initModel(sequelize: Sequelize): void {
    EventImage.init(
      {
        id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
        event_id: { type: DataTypes.BIGINT, allowNull: false },
        uuid: { type: DataTypes.UUID, allowNull: false, defaultValue: DataTypes.UUIDV4, unique: true },
        image_url: { type: DataTypes.TEXT, allowNull: false },
        position: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0, validate: { min: 0 } },
        created_at: { type: DataTypes.DATE, allowNull: false },
        updated_at: { type: DataTypes.DATE, allowNull: false },
      },
      {
        sequelize, tableName: 'event_image', modelName: 'EventImage',
        timestamps: true, createdAt: 'created_at', updatedAt: 'updated_at', underscored: true,
      },
    );
  }
}
