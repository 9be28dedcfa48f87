/** An instance's `UserData` as text, each deploy-time value shown as `<its token JSON>`. */
export function userDataText(userData: { 'Fn::Base64': { 'Fn::Join': [string, unknown[]] } }): string {
  return userData['Fn::Base64']['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : `<${JSON.stringify(part)}>`)).join('');
}
