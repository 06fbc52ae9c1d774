// The projection lives in shared/ (the store config's lane coverage needs it too); re-exported for vision.
export { projectToFloor } from '../../shared/homography.ts';
