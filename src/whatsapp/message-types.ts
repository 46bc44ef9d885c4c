// Send-body shapes of POST /{phone-number-id}/messages, in Meta's own
// (snake_case) wire format, as a discriminated union on `type` (cloud-api.md §2).

export type MediaKind = 'image' | 'audio' | 'video' | 'document' | 'sticker';

/** An uploaded media id or a public https link (cached by Meta for 10 min). */
export type MediaRef = { id: string; link?: undefined } | { link: string; id?: undefined };

export type MediaObject = MediaRef & { caption?: string; filename?: string };

export interface LocationBody {
  latitude: number;
  longitude: number;
  name?: string;
  address?: string;
}

export interface ContactCard {
  name: { formatted_name: string; first_name?: string; last_name?: string; middle_name?: string; prefix?: string; suffix?: string };
  phones?: Array<{ phone: string; type?: string; wa_id?: string }>;
  emails?: Array<{ email: string; type?: string }>;
  org?: { company?: string; department?: string; title?: string };
  urls?: Array<{ url: string; type?: string }>;
  addresses?: Array<Record<string, string>>;
  birthday?: string;
}

type Named = { parameter_name?: string };
export type TemplateParam =
  | ({ type: 'text'; text: string } & Named)
  | ({ type: 'currency'; currency: { fallback_value: string; code: string; amount_1000: number } } & Named)
  | ({ type: 'date_time'; date_time: { fallback_value: string } } & Named)
  | { type: 'image'; image: MediaRef }
  | { type: 'video'; video: MediaRef }
  | { type: 'document'; document: MediaRef & { filename?: string } }
  | { type: 'location'; location: LocationBody }
  | { type: 'payload'; payload: string }
  | { type: 'coupon_code'; coupon_code: string };

export type TemplateComponent =
  | { type: 'header' | 'body'; parameters: TemplateParam[] }
  | { type: 'button'; sub_type: 'quick_reply' | 'url' | 'copy_code'; index: string; parameters: TemplateParam[] };

export interface TemplateBody {
  name: string;
  language: { code: string; policy?: 'deterministic' };
  components?: TemplateComponent[];
}

export type InteractiveHeader =
  | { type: 'text'; text: string }
  | { type: 'image'; image: MediaRef }
  | { type: 'video'; video: MediaRef }
  | { type: 'document'; document: MediaRef & { filename?: string } };

export interface ReplyButton {
  type: 'reply';
  reply: { id: string; title: string };
}

export interface ListRow {
  id: string;
  title: string;
  description?: string;
}

export interface ListSection {
  title?: string;
  rows: ListRow[];
}

export type InteractiveBody =
  | {
      type: 'button';
      header?: InteractiveHeader;
      body: { text: string };
      footer?: { text: string };
      action: { buttons: ReplyButton[] };
    }
  | {
      type: 'list';
      header?: { type: 'text'; text: string };
      body: { text: string };
      footer?: { text: string };
      action: { button: string; sections: ListSection[] };
    };

export interface Envelope {
  messaging_product: 'whatsapp';
  recipient_type?: 'individual' | 'group';
  to: string;
  context?: { message_id: string };
  /** Echoed back in this message's status webhooks. */
  biz_opaque_callback_data?: string;
}

export type OutboundMessage = Envelope &
  (
    | { type: 'text'; text: { body: string; preview_url?: boolean } }
    | { type: 'image'; image: MediaObject }
    | { type: 'audio'; audio: MediaRef }
    | { type: 'video'; video: MediaObject }
    | { type: 'document'; document: MediaObject }
    | { type: 'sticker'; sticker: MediaRef }
    | { type: 'location'; location: LocationBody }
    | { type: 'contacts'; contacts: ContactCard[] }
    | { type: 'interactive'; interactive: InteractiveBody }
    | { type: 'template'; template: TemplateBody }
    | { type: 'reaction'; reaction: { message_id: string; emoji: string } }
  );

export type OutboundType = OutboundMessage['type'];

/** Body of the mark-as-read (+ typing indicator) call. */
export interface MarkReadBody {
  messaging_product: 'whatsapp';
  status: 'read';
  message_id: string;
  typing_indicator?: { type: 'text' };
}
