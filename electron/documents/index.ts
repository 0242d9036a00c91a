/** The documents area's public API: scans by content, which applicant uploaded which, what the bytes say. */
export { BlobBatch, BlobStore, type StoredBlob } from './blobs.js';
export { sweepKilledWrites, type SweepReport } from './sweep.js';
export {
  allDocuments, blobList, documentsOverCap, blobMeta, copyDocumentsFrom, countDocuments, countNewDocuments, documentBlob, documentById, documentRecordsOf, documentsForBaseline, documentsOf, documentsWithScan,
  insertBlobs, insertDocumentRows, insertDocuments, knownBlobs, pendingScans, promotePendingDocuments, recordListedDocuments, type DocumentBlob, type DocumentRecord,
  type NewDocument,
} from './store.js';
export {
  computeFacts, documentsWithFacts, documentsWithFactsReader, ensureFacts, FACTS_VERSION, pdfStructure, scanPeerLookups, scansWithoutFacts,
  truncatedImage,
} from './facts.js';
