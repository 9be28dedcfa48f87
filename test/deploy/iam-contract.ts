import { describeCall, iamRequestsOf, type RecordedCall } from './iam-actions';
import { evaluate, reviewGrants, type GrantReview, type IamRequest, type PolicyStatement } from './iam-policy';
import type { PseudoParameters } from './template-resolver';

/** The verdict of one function's policy on the calls it was seen making. */
export interface IamVerdict {
  /** Every (action, resource) the calls needed, without repeats. */
  requests: IamRequest[];
  /** One line per needed permission the policy does not grant, naming the call that needed it. */
  denied: string[];
  /** Each Allow statement against the calls: what of it went unused. */
  grants: GrantReview[];
}

/**
 * Maps each recorded call to the IAM checks AWS would make and evaluates them against the
 * function's statements. A call the mapper can't place is reported as denied, so it can't pass
 * unchecked.
 */
export function judgeCalls(statements: readonly PolicyStatement[], calls: readonly RecordedCall[], pseudo: PseudoParameters): IamVerdict {
  const requests = new Map<string, IamRequest>();
  const denied = new Set<string>();
  for (const call of calls) {
    let needed: IamRequest[];
    try {
      needed = iamRequestsOf(call, pseudo);
    } catch (error) {
      denied.add(`${describeCall(call)}: ${(error as Error).message}`);
      continue;
    }
    for (const request of needed) {
      requests.set(`${request.action} ${request.resource}`, request);
      const decision = evaluate(statements, request);
      if (decision !== 'allow') denied.add(`${describeCall(call)} needs ${request.action} on ${request.resource} (${decision})`);
    }
  }
  return { requests: [...requests.values()], denied: [...denied], grants: reviewGrants(statements, [...requests.values()]) };
}
