export { createRootCa, ROOT_CA_COMMON_NAME, type RootCa } from './root-ca.js';
export {
  issueNodeCertificate,
  roleOrganizationalUnit,
  type IssueNodeCertificateInput,
  type IssuedCertificate,
  type NodeRole,
} from './node-certificate.js';
export { generateNodeKeyAndCsr, parseCsr, type NodeKeyAndCsr, type ParsedCsr } from './csr.js';
export { verifyCertificate, verifyChain } from './verify.js';
export { createEngineApiCertificates, type EngineApiCertificates, type EngineApiCertificateInput } from './engine-api-certificates.js';
export { checkSigningCa, crossSignRoot, normalizePem, rootFacts, type RootFacts, type SigningCaProblem } from './root-rotation.js';
