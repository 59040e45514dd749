/** Where the bot token may be sent when downloading a chosen file: Slack's hosts, or the configured API host's. */
import { mayCarryToken } from '../../../adapters/slack/files';

it('sends the token to Slack over https, and to the configured API host and its subdomains, nowhere else', () => {
  const slack = 'https://slack.com/api/';
  expect(mayCarryToken('https://files.slack.com/files-pri/T1-F1/download/case.md', slack)).toBe(true);
  expect(mayCarryToken('http://files.slack.com/files-pri/T1-F1/download/case.md', slack)).toBe(false);
  expect(mayCarryToken('https://files.slack.com.evil.example/x', slack)).toBe(false);
  expect(mayCarryToken('https://evilslack.com/x', slack)).toBe(false);
  expect(mayCarryToken('https://user:pw@files.slack.com/x', slack)).toBe(false);
  expect(mayCarryToken('not a url', slack)).toBe(false);
  const gov = 'https://slack-gov.com/api/';
  expect(mayCarryToken('https://files.slack-gov.com/files-pri/T1-F1/download/case.md', gov)).toBe(true);
  expect(mayCarryToken('https://files.slack-gov.com/x', slack)).toBe(false);
  const test = 'http://slack.test/api/';
  expect(mayCarryToken('http://slack.test/files-pri/x', test)).toBe(true);
  expect(mayCarryToken('http://slack.test:8080/files-pri/x', test)).toBe(false);
});
