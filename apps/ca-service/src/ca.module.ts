import { Module } from '@nestjs/common';
import { InfrastructureModule } from '#service-host';
import { CreateRootHandler } from './create-root/create-root.handler.js';
import { IssueNodeCertificateHandler } from './issue-node-certificate/issue-node-certificate.handler.js';

@Module({ imports: [InfrastructureModule], controllers: [CreateRootHandler, IssueNodeCertificateHandler] })
export class CaModule {}
