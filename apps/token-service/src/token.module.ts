import { Module } from '@nestjs/common';
import { InfrastructureModule } from '#service-host';
import { IssueTokensHandler } from './issue-tokens/issue-tokens.handler.js';
import { ReissueTokensHandler } from './reissue-tokens/reissue-tokens.handler.js';
import { RotateTokenHandler } from './rotate-token/rotate-token.handler.js';
import { TokenAgeWatch } from './token-age/token-age.watch.js';
import { ValidateTokenHandler } from './validate-token/validate-token.handler.js';

@Module({ imports: [InfrastructureModule], controllers: [IssueTokensHandler, RotateTokenHandler, ReissueTokensHandler, ValidateTokenHandler], providers: [TokenAgeWatch] })
export class TokenModule {}
