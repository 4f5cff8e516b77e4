import { Injectable } from '@nestjs/common';
import { EventEmitter2, EventEmitterModule } from '@nestjs/event-emitter';
import { Test } from '@nestjs/testing';
import { inTransactionChannel, OnInternalEvent } from './internal-events.js';

const heard: string[] = [];

@Injectable()
class Listener {
  @OnInternalEvent('shop.writing')
  async writing({ payload }: { payload: { sellerId: string } }): Promise<void> {
    heard.push(`listener ${payload.sellerId}`);
    await Promise.resolve();
    if (payload.sellerId === 'bad') throw new Error('refused');
  }
}

describe('in-transaction listeners', () => {
  let emitter: EventEmitter2;

  beforeAll(async () => {
    const module = await Test.createTestingModule({
      imports: [EventEmitterModule.forRoot()],
      providers: [Listener],
    }).compile();
    await module.init();
    emitter = module.get(EventEmitter2);
  });

  beforeEach(() => heard.splice(0));

  it('run at once, not after a turn of the event loop (a transaction holding locks waits for them)', async () => {
    setImmediate(() => heard.push('next turn of the loop'));
    await emitter.emitAsync(inTransactionChannel('shop.writing'), { payload: { sellerId: 's1' } });
    heard.push('emitted');
    expect(heard).toEqual(['listener s1', 'emitted']);
    await new Promise((resolve) => setImmediate(resolve));
  });

  it('fail the emit (so the transaction) with their error', async () => {
    await expect(
      emitter.emitAsync(inTransactionChannel('shop.writing'), { payload: { sellerId: 'bad' } }),
    ).rejects.toThrow('refused');
  });
});
