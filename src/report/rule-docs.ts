/** Where each rule is documented (docs/rules/<id>.md in the repository), for SARIF's helpUri and text output. */
export const RULE_DOCS = 'https://github.com/dbcanon/dbcanon/blob/main/docs/rules';

export function ruleDocUrl(id: string): string {
  return `${RULE_DOCS}/${id}.md`;
}
