import type { SchemaIssue } from './schema-validator.js';

/**
 * An issue in plain words for our own protocols (not Docker's): where, then what is wrong, e.g.
 * `description.hostname must be string, not number`, `description is required`. The root is `body`.
 */
export function issueText(issue: SchemaIssue): string {
  const where = issue.path.length > 0 ? issue.path.join('.') : 'body';
  switch (issue.keyword) {
    case 'required':
      return `${where} is required`;
    case 'type':
      return `${where} must be ${issue.expected}${issue.actual ? `, not ${issue.actual}` : ''}`;
    default:
      return issue.message.replace(/^\S+/, where);
  }
}
