// Type tests, checked by `npm run typecheck` (tsc over test/): what the edge publishes on the floor hub
// is what shared/floor-messages.ts tells the floor page each message type carries. The hub itself still
// takes `unknown` (edge/floor/floor-hub.ts); until its publish is typed by FloorPayloads, these keep the
// publishers and the page's map from drifting apart.
import { expectTypeOf, test } from 'vitest';
import type { EdgeOutputMap } from '../../../edge/edge-outputs.ts';
import type { AlertBook } from '../../../edge/floor/alert-book.ts';
import type { FrameInfo } from '../../../edge/floor/exception-frames.ts';
import type { FloorMessageType as HubMessageType } from '../../../edge/floor/floor-hub.ts';
import type { StaffException } from '../../../edge/fusion/exception-queue.ts';
import type { FloorMessage, FloorMessageType, FloorPayloads } from '../../../shared/floor-messages.ts';
import type { FloorMessageBody } from '../../../shared/schemas/floor-snapshot.ts';

test('the map has exactly the hub message types', () => {
  expectTypeOf<FloorMessageType>().toEqualTypeOf<HubMessageType>();
  expectTypeOf<FloorMessage['type']>().toEqualTypeOf<FloorMessageBody['type']>();
});

test('every payload the edge publishes fits its type in the map', () => {
  expectTypeOf<EdgeOutputMap>().toExtend<Pick<FloorPayloads, keyof EdgeOutputMap>>();
  // published by the decision book and the floor service
  expectTypeOf<StaffException>().toExtend<FloorPayloads['exception']>();
  expectTypeOf<StaffException>().toExtend<FloorPayloads['exception-updated']>();
  expectTypeOf<{ exceptionId: string; status: 'dropped'; by: string }>().toExtend<
    FloorPayloads['exception-closed']
  >();
  // published by the floor recorder as frames arrive
  expectTypeOf<{ exceptionId: string; frames: FrameInfo[]; complete: boolean }>().toExtend<
    FloorPayloads['exception-frames']
  >();
  expectTypeOf<{ alertId: string; acknowledged: ReturnType<AlertBook['acknowledge']> }>().toExtend<
    FloorPayloads['alert']
  >();
});

test('a message is its payload, by type', () => {
  expectTypeOf<Extract<FloorMessage, { type: 'stock' }>['data']>().toEqualTypeOf<FloorPayloads['stock']>();
  expectTypeOf<FloorMessage>().toExtend<FloorMessageBody>();
});
