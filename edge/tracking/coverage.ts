// Camera outlines live in shared/ (the store config's lane coverage needs them too); re-exported for tracking.
export {
  type CameraOutline,
  cameraOutline,
  camerasSeeing,
  insideOutline,
} from '../../shared/camera-coverage.ts';
