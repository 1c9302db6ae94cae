// @loupe/runtime-node/diffusion: user-supplied diffusers ONNX folders read from their files
// alone (graph headers, JSON, hashes). No onnxruntime here, so the HTTP process imports it.
export {
  classifyFolder,
  type Classification,
  type FolderReading,
  type PartReading,
} from './classify';
export { FileHashCache, folderDigest, listFolderFiles, type FolderFile } from './folder-files';
export { inspectDiffusionFolder, type InspectOptions } from './inspect-folder';
export { detectLicense } from './license';
export {
  readGraphSignature,
  type GraphSignature,
  type InitializerInfo,
  type NodeWiring,
} from './onnx-signature';
export { ProtoError } from './proto-reader';
export { scanDiffusionDirectory } from './scan-directory';
export { readDiffusionAssets } from './read-assets';
