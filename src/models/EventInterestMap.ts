import {
  DataTypes, Model,
  type CreationOptional, type InferAttributes, type InferCreationAttributes, type NonAttribute, type Sequelize,
} from 'sequelize';
import type { Event } from './Event.js';
import type { EventInterest } from './EventInterest.js';

/** event_interest_map: the event ↔ interest join table. */
export class EventInterestMap extends Model<InferAttributes<EventInterestMap>, InferCreationAttributes<EventInterestMap>> {
  declare id: CreationOptional<number>;
  declare event_id: number;
  declare eventinterest_id: number;
  declare created_at: CreationOptional<Date>;
  declare updated_at: CreationOptional<Date>;
  
  declare event?: NonAttribute<Event>;
  declare interest?: NonAttribute<EventInterest>;

  static initModel(sequelize: Sequelize): void {
    EventInterestMap.init(
      {
        id: { type: DataTypes.BIGINT, primaryKey: true, autoIncrement: true },
        event_id: { type: DataTypes.BIGINT, allowNull: false },
        eventinterest_id: { type: DataTypes.BIGINT, allowNull: false },
        created_at: { type: DataTypes.DATE, allowNull: false },
        updated_at: { type: DataTypes.DATE, allowNull: false },
      },
      {
        sequelize, tableName: 'event_interest_map', modelName: 'EventInterestMap',
        timestamps: true, createdAt: 'created_at', updatedAt: 'updated_at', underscored: true,
      },
    );
  }
}
