/** Reading Teams activities: the place, the actor, the command text, loopback URLs and peers, message bodies. */
import { withoutAddress } from '../../../src/core/grammar';
import { actorOf, baseConversationId, commandText, isLoopbackAddress, isLoopbackUrl, mentionsBot, placeOf, storedReference } from '../../../adapters/teams/activity';
import { htmlToText, messageBodyText } from '../../../adapters/teams/html';
import { parseSubmit } from '../../../adapters/teams/submit';

const bot = { id: '28:bot', name: 'Decisions' };
const mention = { type: 'mention', mentioned: bot, text: '<at>Decisions</at>' };

describe('placeOf and actorOf', () => {
  it('is the tenant and the conversation without its thread suffix', () => {
    expect(placeOf({ conversation: { id: '19:abc@thread.tacv2;messageid=123', tenantId: 't1', isGroup: true, conversationType: 'channel', name: '' } }))
      .toEqual({ platform: 'teams', workspace: 't1', channel: '19:abc@thread.tacv2' });
    expect(placeOf({ conversation: { id: 'a:1', isGroup: false, conversationType: 'personal', name: '' }, channelData: { tenant: { id: 't2' } } })?.workspace).toBe('t2');
    expect(placeOf({ channelId: 'emulator', conversation: { id: 'c1', isGroup: false, conversationType: '', name: '' } })?.workspace).toBe('emulator');
    expect(baseConversationId('19:x;messageid=9')).toBe('19:x');
  });

  it('is the Entra object id when there is one, else the channel account id', () => {
    expect(actorOf({ from: { id: '29:a', name: 'Ann', aadObjectId: 'aad-a' } })).toEqual({ id: 'aad-a', name: 'Ann' });
    expect(actorOf({ from: { id: 'user1', name: '' } })).toEqual({ id: 'user1', name: 'Someone' });
  });
});

describe('commandText', () => {
  it('takes out the bot mention; core ignores a leading decision or /decision word, as on every surface', () => {
    const base = { recipient: bot, entities: [mention] };
    const words = (text: string) => withoutAddress(commandText({ ...base, text }));
    expect(commandText({ ...base, text: '<at>Decisions</at> We will publish weekly' })).toBe('We will publish weekly');
    expect(words('<at>Decisions</at> /decision We will publish weekly')).toBe('We will publish weekly');
    expect(words('<at>Decisions</at> Decision evidence 3 Seen in testing')).toBe('evidence 3 Seen in testing');
    expect(words('<at>Decisions</at> Decisions are hard')).toBe('Decisions are hard');
    expect(commandText({ ...base, text: '<at>Decisions</at>' })).toBe('');
    expect(commandText({ ...base, text: '<at>Decisions</at> We will\nkeep lines' })).toBe('We will\nkeep lines');
  });

  it('knows whether the bot, rather than someone else, is mentioned', () => {
    expect(mentionsBot({ recipient: bot, entities: [mention] })).toBe(true);
    expect(mentionsBot({ recipient: bot, entities: [{ type: 'mention', mentioned: { id: '29:ann', name: 'Ann' }, text: '<at>Ann</at>' }] })).toBe(false);
    expect(mentionsBot({ recipient: bot, entities: [{ type: 'clientInfo' }] })).toBe(false);
  });
});

describe('storedReference', () => {
  it('keeps the channel, not the thread, and no user', () => {
    const ref = storedReference({
      serviceUrl: 'https://smba.example/', channelId: 'msteams', recipient: bot, from: { id: '29:a', name: 'Ann' },
      conversation: { id: '19:c;messageid=5', isGroup: true, conversationType: 'channel', name: '', tenantId: 't' },
    });
    expect(ref?.conversation?.id).toBe('19:c');
    expect(ref).not.toHaveProperty('user');
    expect(ref?.serviceUrl).toBe('https://smba.example/');
  });
});

describe('isLoopbackUrl', () => {
  it.each([
    ['http://localhost:3978/', true], ['http://127.0.0.1:9/teams/', true], ['http://127.1.2.3/', true], ['http://[::1]:3978/', true],
    ['https://smba.trafficmanager.net/uk/', false], ['http://localhost.evil.example/', false], ['http://127.0.0.1@evil.example/', false],
    ['http://10.0.0.1/', false], ['file:///etc/passwd', false], ['', false], [42, false],
  ])('%s → %s', (url, expected) => {
    expect(isLoopbackUrl(url)).toBe(expected);
  });
});

describe('isLoopbackAddress', () => {
  it.each([
    ['127.0.0.1', true], ['127.8.9.10', true], ['::1', true], ['::ffff:127.0.0.1', true], ['::FFFF:127.0.0.2', true],
    ['192.0.2.2', false], ['10.0.0.1', false], ['::ffff:10.0.0.1', false], ['::', false], ['0.0.0.0', false],
    ['fd00::1', false], ['::2', false], ['1127.0.0.1', false], ['', false], [undefined, false],
  ])('%s → %s', (address, expected) => {
    expect(isLoopbackAddress(address)).toBe(expected);
  });
});

describe('message bodies', () => {
  it('turns Teams HTML into text', () => {
    expect(htmlToText('<div><p>We will <b>test</b> &amp; learn</p><ul><li>one</li><li>two</li></ul>a&nbsp;b &#8217; &lt;at&gt;</div>'))
      .toBe('We will test & learn\n- one\n- two\na b \u2019 <at>');
    expect(messageBodyText({ contentType: 'text', content: '  plain  ' })).toBe('plain');
    expect(messageBodyText(undefined)).toBe('');
  });
});

describe('parseSubmit', () => {
  it('reads a card submit field by field', () => {
    expect(parseSubmit({ action: 'record', text: 'T', sprint: '2', evidence: ' E ', sourceUrl: 'javascript:alert(1)' }))
      .toEqual({ action: 'record', text: 'T', sprint: 2, evidence: ' E ', decidedBy: '', points: '', sourceUrl: null });
    expect(parseSubmit({ action: 'evidence', decision: '3', evidenceText: 'E' })).toEqual({ action: 'evidence', decision: 3, text: 'E' });
    expect(parseSubmit({ action: 'edit', decision: 'x', editText: 'E' })).toEqual({ action: 'edit', decision: null, text: 'E' });
    expect(parseSubmit({ action: 'nope' })).toBeNull();
    expect(parseSubmit('record')).toBeNull();
    expect(parseSubmit(null)).toBeNull();
  });
});
