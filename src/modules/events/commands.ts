/** The events domain's commands — the only place its business rules live. */
export { createEvent } from './commands/create.js';
export { updateEvent } from './commands/update.js';
export {
  transitionEvent, publishEvent, postponeEvent, completeEvent, cancelEvent, deleteEvent,
} from './commands/transitions.js';
export { addEventImage, removeEventImage, reorderEventImages, MAX_EVENT_IMAGES } from './commands/images.js';
