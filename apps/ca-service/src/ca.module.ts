import { Module } from '@nestjs/common';
import { InfrastructureModule } from '#service-host';
import { CreateRootHandler } from './create-root/create-root.handler.js';
import { IssueNodeCertificateHandler } from './issue-node-certificate/issue-node-certificate.handler.js';
import { RootCasService } from './projections/root-cas.service.js';
import { CompleteRotationHandler } from './rotate-root/complete-rotation.handler.js';
import { RotateRootHandler } from './rotate-root/rotate-root.handler.js';

@Module({
  imports: [InfrastructureModule],
  controllers: [CreateRootHandler, IssueNodeCertificateHandler, RotateRootHandler, CompleteRotationHandler],
  providers: [RootCasService],
})
export class CaModule {}
