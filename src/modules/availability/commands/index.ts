/** The availability domain's commands: reads of an event's figures. Routes and the stream hub call these. */
export { readAvailability, findWatchableEvent } from './read.js';
export { figuresOf, type Figures } from './figures.js';
