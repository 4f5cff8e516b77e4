import { ApiProperty } from '@nestjs/swagger';
import { EVENT_DATA_SCHEMA, type EventName } from '../events/event-catalogue.js';
import {
  dataSchemaOf,
  EXAMPLE_EVENT_SHOP,
  EXAMPLE_EVENT_TIME,
  type JsonSchema,
  jsonSchemaOf,
} from '../events/event-docs.js';
import { sampleEventData } from '../events/event-examples.js';
import { eventsOfPartnerType, PARTNER_TYPES, type PartnerType } from './event-map.js';

const DESCRIPTIONS: Record<PartnerType, string> = {
  NEW_CONSUMER_ORDER: 'A customer placed an order in the shop.',
  NEW_CONSUMER_SIGNUP: 'A new customer record was created (first order from a phone number).',
  UPDATE_CONSUMER_ORDER: 'An order changed status: paid, confirmed, dispatched, delivered or cancelled.',
  UPDATE_CONSUMER_USER: "A customer's details changed.",
  NEW_MEMBER: 'A staff member was added to the shop.',
  UPDATE_MEMBER: "A staff member's role or details changed.",
  CREATE_TRANSACTION: 'An M-Pesa payment was requested (STK push sent to the buyer).',
  UPDATE_TRANSACTION: 'A payment changed without completing or failing (for example flagged for review).',
  CANCEL_TRANSACTION: 'An M-Pesa payment failed or was cancelled by the buyer.',
  COMPLETE_TRANSACTION: 'An M-Pesa payment was received.',
  UPDATE_PRODUCT: 'A product was created, edited, removed, or its stock changed.',
};

export class PartnerTypeDoc {
  @ApiProperty({ example: 'NEW_CONSUMER_ORDER' }) webHookType: string;
  @ApiProperty({ example: 'A customer placed an order in the shop.' }) description: string;
  @ApiProperty({ example: ['ORDER_CREATED'], description: 'The shop events delivered as this type' }) events: string[];
  @ApiProperty({ example: 'OrderEventData' }) dataSchema: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: "The JSON Schema (draft 2020-12) of the body's `data`",
  })
  schema: JsonSchema;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'A whole example body as a partner URL receives it',
  })
  example: Record<string, unknown>;
}

/**
 * GET /api/v1/partner/webHooks/types: each partner type with its description, the JSON Schema of `data`, an example.
 */
export function partnerTypeCatalogue(): PartnerTypeDoc[] {
  return PARTNER_TYPES.map((type) => {
    const events = eventsOfPartnerType(type);
    const first: EventName = events[0];
    return {
      webHookType: type,
      description: DESCRIPTIONS[type],
      events,
      dataSchema: EVENT_DATA_SCHEMA[first],
      schema: jsonSchemaOf(dataSchemaOf(first)),
      example: {
        id: 'evt_01jdx3k2m4n5p6q7r8s9t0v1w2',
        webHookType: type,
        shopId: EXAMPLE_EVENT_SHOP,
        companyId: 'cmp_01jdx3k2m4n5p6q7r8s9t0v1w2',
        created: EXAMPLE_EVENT_TIME.getTime(),
        data: sampleEventData(first),
      },
    };
  });
}
