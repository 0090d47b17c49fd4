/** The events domain's commands — the only place its business rules live. */
export { createEvent } from './create.js';
export { updateEvent } from './update.js';
export {
  transitionEvent, publishEvent, postponeEvent, completeEvent, cancelEvent, deleteEvent,
} from './transitions.js';
export { addEventImage, removeEventImage, reorderEventImages, MAX_EVENT_IMAGES } from './images.js';
