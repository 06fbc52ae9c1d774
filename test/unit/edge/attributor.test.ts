import { describe, expect, it } from 'vitest';
import { attributeEvent } from '../../../edge/fusion/attributor.ts';

describe('attributeEvent', () => {
  const alice = { sessionId: 'alice', enteredAt: 1000, exitedAt: undefined };
  const bob = { sessionId: 'bob', enteredAt: 5000, exitedAt: 9000 };

  it('gives the event to the one session in the store', () => {
    expect(attributeEvent(2000, 2500, [alice, bob])).toEqual({
      sessionId: 'alice',
      attribution: 'sole-session',
      candidates: ['alice'],
    });
  });

  it('refuses to guess when two sessions were inside', () => {
    expect(attributeEvent(6000, 6500, [alice, bob])).toMatchObject({
      sessionId: null,
      attribution: 'unattributed',
    });
  });

  it('leaves an event with nobody inside unattributed', () => {
    expect(attributeEvent(500, 700, [alice])).toMatchObject({ sessionId: null, candidates: [] });
  });
});
