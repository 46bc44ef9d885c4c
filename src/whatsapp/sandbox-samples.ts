// Templates the built-in sandbox starts with, so a fresh install can try
// template sends, buttons and the opt-out flow before talking to Meta.
import type { TemplateCategory, TemplateComponentDef } from './cloud-api-types.js';

type Sample = { name: string; language: string; category: TemplateCategory; components: TemplateComponentDef[] };

export const SAMPLE_TEMPLATES: Sample[] = [
  {
    name: 'bienvenida',
    language: 'es_MX',
    category: 'UTILITY',
    components: [
      { type: 'BODY', text: 'Hola {{1}}, gracias por escribir a {{2}}. ¿En qué podemos ayudarte?', example: { body_text: [['Ana', 'Clínica Sonrisa']] } },
    ],
  },
  {
    name: 'recordatorio_cita',
    language: 'es_MX',
    category: 'UTILITY',
    components: [
      { type: 'HEADER', format: 'TEXT', text: 'Recordatorio de cita' },
      { type: 'BODY', text: 'Hola {{1}}, te esperamos el {{2}} a las {{3}}. ¿Confirmas tu asistencia?', example: { body_text: [['Ana', '12 de mayo', '10:00']] } },
      { type: 'FOOTER', text: 'Responde BAJA para no recibir más mensajes' },
      { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Confirmar' }, { type: 'QUICK_REPLY', text: 'Cancelar' }] },
    ],
  },
  {
    name: 'order_update',
    language: 'en_US',
    category: 'UTILITY',
    components: [{ type: 'BODY', text: 'Hi {{1}}, your order {{2}} is on its way.', example: { body_text: [['Ana', '#A-1001']] } }],
  },
];
