import { describe as describeFailure, explain } from '../../../adapters/slack/errors';

// The WebClient wraps a failed request in slack_webapi_request_error; the original error's
// message is whatever the network library wrote, which may be the whole request.
function requestError(message: string): Error {
  return Object.assign(new Error(`A request error occurred: ${message}`), { code: 'slack_webapi_request_error', original: new Error(message) });
}

describe('a failure described for the log', () => {
  it('masks a token the network library put in its message, and keeps the first line only', () => {
    const message = 'No match for request {\n  "authorization": "Bearer xoxb-1111-2222-abcdefabcdef"\n}';
    expect(describeFailure(requestError(message))).toBe('Slack is unreachable (No match for request {)');
    const oneLine = 'connect ECONNREFUSED; sent Bearer xoxb-1111-2222-abcdefabcdef';
    expect(describeFailure(requestError(oneLine))).toBe('Slack is unreachable (connect ECONNREFUSED; sent Bearer xoxb-[secret])');
    expect(describeFailure(new Error('token xoxp-9-9-secret leaked'))).toBe('token xoxp-[secret] leaked');
  });

  it('keeps a long message short', () => {
    expect(describeFailure(requestError('x'.repeat(5000))).length).toBeLessThan(240);
  });

  it('tells the person only that Slack could not be reached', () => {
    expect(explain(requestError('Bearer xoxb-1-2-3'))).toBe('I could not reach Slack just now. Please try again in a moment.');
  });
});
