// Word lists for the contacts generator. Every string is representable in
// Latin-1 so the same rows can be written as UTF-8 or Windows-1252.
export const FIRST_NAMES = [
  'José', 'María', 'Jesús', 'Martín', 'Sofía', 'Lucía', 'Andrés', 'Inés', 'Raúl', 'Ramón', 'Begoña',
  'Iñaki', 'Ángela', 'Óscar', 'Mónica', 'Verónica', 'Héctor', 'Adrián', 'Valentina', 'Camila', 'Mateo',
  'Santiago', 'Ximena', 'Guadalupe', 'Agustín', 'Joaquín', 'Belén', 'Nicolás', 'Tomás', 'Daniela',
  'João', 'Conceição', 'Gonçalo', 'Luís', 'Antônio', 'Fátima', 'Sebastião', 'Cecília', 'Letícia', 'Zoë',
  'Ana', 'Juan', 'Pedro', 'Carmen', 'Rocío', 'Álvaro', 'Efraín', 'Noemí', 'Aurélio', 'Mª José',
];

export const LAST_NAMES = [
  'Muñoz', 'Peña', 'Núñez', 'García', 'Pérez', 'López', 'Hernández', 'González', 'Rodríguez', 'Martínez',
  'Sánchez', 'Ramírez', 'Gómez', 'Díaz', 'Álvarez', 'Fernández', 'Conceição', 'Araújo', 'Gonçalves',
  'Magalhães', 'Brandão', 'Simões', 'Ibáñez', 'Castañeda', 'Ordóñez', 'Báez', 'Cortés', 'Valdés', 'Ruiz',
  'Suárez', 'Jiménez', 'Muñiz', "D'Angelo", 'de la Peña', 'Echeverría', 'Quiñones', 'Solís', 'Bolaños',
  'Montaño', 'Patiño', 'Cruz', 'Reyes', 'Morales', 'Ortiz', 'Vargas', 'Rojas', 'Silva', 'Souza', 'Oliveira',
];

export const CITIES: Record<string, string[]> = {
  MX: ['Ciudad de México', 'Guadalajara', 'Monterrey', 'Puebla', 'Querétaro', 'Mérida', 'Tijuana', 'León'],
  AR: ['Buenos Aires', 'Córdoba', 'Rosario', 'Mendoza', 'La Plata', 'Tucumán'],
  BR: ['São Paulo', 'Rio de Janeiro', 'Belo Horizonte', 'Curitiba', 'Porto Alegre', 'Brasília', 'Salvador'],
  CO: ['Bogotá', 'Medellín', 'Cali', 'Barranquilla', 'Cartagena'],
  CL: ['Santiago', 'Valparaíso', 'Concepción', 'Antofagasta'],
  PE: ['Lima', 'Arequipa', 'Trujillo', 'Cusco'],
  ES: ['Madrid', 'Barcelona', 'Valencia', 'Sevilla', 'Málaga', 'A Coruña'],
  US: ['Miami', 'Houston', 'Los Ángeles', 'Nueva York', 'Chicago'],
};

export const TAGS = [
  'cliente', 'vip', 'prospecto', 'mayorista', 'newsletter', 'evento-2024', 'odontología', 'seguimiento',
  'recomendado', 'reactivar',
];

export const PLANS = ['Básico', 'Premium', 'Empresa'];

export const OPT_IN_VALUES = ['sí', 'Sí', 'no', 'No', '1', '0', 'true', 'SI', ''];

export const NOTES = [
  'Llamar después de las 5, pregunta por "Lupe"',
  'Prefiere WhatsApp\nNo llamar por la mañana',
  'Cliente desde 2019; paga puntual',
  'Interesado en el plan anual | pedir cotización',
  'Cita de limpieza dental pendiente',
  "Referido por la Sra. Núñez - tel. de la oficina aparte",
];

export const EMAIL_DOMAINS = ['gmail.com', 'hotmail.com', 'yahoo.com.mx', 'outlook.es', 'uol.com.br', 'empresa.com.ar'];

/** ASCII spelling for e-mail local parts: "Muñoz" → "munoz", "D'Angelo" → "dangelo". */
export function asciiFold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}
