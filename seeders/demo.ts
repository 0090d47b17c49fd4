import { configOrExit, setConfig } from '../src/config.js';
import { createContext, type Actor, type Context } from '../src/context.js';
import { connect, disconnect } from '../src/db/connection.js';
import { resolveDatabase } from '../src/db/database-url.js';
import { migrateUp } from '../src/db/migrate.js';
import { clock, DAY, HOUR } from '../src/lib/clock.js';
import { setJwtSecret } from '../src/lib/jwt.js';
import { secretFor } from '../src/lib/secrets.js';
import { Op } from 'sequelize';
import { AuthUser, Event, UserProfile, Venue } from '../src/models/index.js';
import { createEvent } from '../src/modules/events/commands/create.js';
import { transitionEvent } from '../src/modules/events/commands/transitions.js';
import { acceptRequest, createRequest } from '../src/modules/joining/commands/requests.js';
import { createVenue } from '../src/modules/venues/commands.js';
import { seedReference } from './reference.js';

/**
 * `npm run seed:demo`: a small, believable data set for trying the panel and the API — hosts,
 * venues, published events (free and paid), join requests, accepted attendees and paid holds.
 * Everything goes through the domain commands, so it is audited and notified like real traffic.
 * Idempotent: a second run sees the demo hosts and stops.
 */
const HOSTS = [
  { phone: '+910000000101', name: 'Asha Rao', gender: 'female' as const },
  { phone: '+910000000102', name: 'Vikram Shah', gender: 'male' as const },
];
const GUESTS = Array.from({ length: 12 }, (_, i) => ({
  phone: `+9100000002${String(i).padStart(2, '0')}`,
  name: ['Meera', 'Kabir', 'Zoya', 'Arjun', 'Nila', 'Dev', 'Isha', 'Rohan', 'Tara', 'Neel', 'Anya', 'Kiran'][i]! + ' Demo',
  gender: (i % 2 ? 'male' : 'female') as 'male' | 'female',
}));

async function person(p: { phone: string; name: string; gender: 'male' | 'female' }): Promise<Actor> {
  const [user] = await AuthUser.findOrCreate({
    where: { username: p.phone },
    defaults: { username: p.phone, first_name: p.name.split(' ')[0]!, last_name: p.name.split(' ')[1] ?? '', date_joined: clock.now() },
  });
  await UserProfile.findOrCreate({
    where: { user_id: user.id },
    defaults: {
      user_id: user.id, name: p.name, phone_number: p.phone, gender: p.gender, is_verified: true,
      profile_pictures: [`https://picsum.photos/seed/${user.uuid}/400`],
    },
  });
  return { id: user.id, uuid: user.uuid, is_staff: false, is_superuser: false };
}

const as = (actor: Actor): Context => createContext({ source: 'seed', actor });

async function main(): Promise<void> {
  const cfg = configOrExit();
  setConfig(cfg);
  // Seating mints ticket codes from the server key: the same key the server derives.
  setJwtSecret(secretFor('jwt', cfg.JWT_SECRET, cfg.DATA_DIR));
  const db = await resolveDatabase((line) => console.log(line));
  connect(db.url);
  try {
    await migrateUp((await import('../src/db/connection.js')).sequelize());
    await seedReference((line) => console.log(line));
    if (await Event.findOne({ where: { title: 'Board Game Night', description: { [Op.like]: '%Loopin demo event%' } } })) {
      console.log('Demo data is already there.');
      return;
    }
    const [asha, vikram] = await Promise.all(HOSTS.map(person));
    const guests = [];
    for (const g of GUESTS) guests.push(await person(g));

    const venue = async (host: Actor, input: Parameters<typeof createVenue>[1]) =>
      (await Venue.findOne({ where: { name: input.name } })) ?? createVenue(as(host), input);
    const hall = await venue(asha!, { name: 'Blue Tokai Courtyard', city: 'Pune', venue_type: 'outdoor', capacity: 80, address: 'Koregaon Park, Pune', latitude: 18.5362, longitude: 73.8939 });
    const loft = await venue(vikram!, { name: 'The Loft', city: 'Bengaluru', venue_type: 'indoor', capacity: 40, address: 'Indiranagar, Bengaluru' });

    const soon = (days: number) => new Date(clock.now().getTime() + days * DAY);
    const plans = [
      { host: asha!, title: 'Sunday Acoustic Evening', venue: hall.uuid, days: 5, paid: false, cap: 30, interests: ['music'] },
      { host: asha!, title: 'Street Food Walk: Camp', venue_text: 'Meet at MG Road gate', days: 9, paid: true, price: '349.00', cap: 15, interests: ['food-drinks', 'travel'] },
      { host: vikram!, title: 'Founders & Coffee', venue: loft.uuid, days: 3, paid: false, cap: 20, interests: ['business', 'tech'] },
      { host: vikram!, title: 'Board Game Night', venue: loft.uuid, days: 12, paid: true, price: '199.00', cap: 12, interests: ['gaming'] },
    ];
    for (const [i, p] of plans.entries()) {
      const start = soon(p.days);
      const event = await createEvent(as(p.host), {
        title: p.title,
        description: `${p.title} — a Loopin demo event. Come as you are, meet new people.`,
        start_time: start, end_time: new Date(start.getTime() + 3 * HOUR),
        ...(p.venue ? { venue: p.venue } : { venue_text: p.venue_text }),
        max_capacity: p.cap, is_paid: p.paid, ticket_price: p.price ?? '0.00', allow_plus_one: i % 2 === 0,
        allowed_genders: 'all', cover_images: [`https://picsum.photos/seed/loopin${i}/1200/600`],
        event_interests: p.interests, is_public: true,
      });
      await transitionEvent(as(p.host), event.uuid, 'publish');
      for (const [j, guest] of guests.slice(i * 3, i * 3 + 5).entries()) {
        const request = await createRequest(as(guest), { eventRef: event.uuid, message: 'Would love to join!' });
        if (j < 3) await acceptRequest(as(p.host), { requestUuid: request.uuid, hostMessage: 'See you there!' });
      }
      console.log(`event: ${p.title} (${event.slug})`);
    }
    console.log('Demo data seeded: 2 hosts, 12 guests, 2 venues, 4 events with requests, attendees and paid holds.');
  } finally {
    await disconnect();
    await db.stop();
  }
}

main().catch((err: unknown) => {
  console.error(`seed:demo failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
