import { Module } from '@nestjs/common';
import { InfrastructureModule } from '#runtime';
import { InitializeIpamHandler } from './initialize/initialize-ipam.handler.js';

@Module({ imports: [InfrastructureModule], controllers: [InitializeIpamHandler] })
export class IpamModule {}
