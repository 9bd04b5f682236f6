import type { SnowflakeSource } from './snowflake.ts';

/** Permission bits the fake computes (strings on the wire, as Discord sends them). */
export const Perm = {
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  EmbedLinks: 1n << 14n,
  AttachFiles: 1n << 15n,
  ReadMessageHistory: 1n << 16n,
  MentionEveryone: 1n << 17n,
  UseExternalEmojis: 1n << 18n,
  ManageChannels: 1n << 4n,
  ManageGuild: 1n << 5n,
  Administrator: 1n << 3n,
  UseApplicationCommands: 1n << 31n,
  CreatePublicThreads: 1n << 35n,
  SendMessagesInThreads: 1n << 38n,
} as const;

export const MEMBER_PERMS =
  Perm.ViewChannel |
  Perm.SendMessages |
  Perm.EmbedLinks |
  Perm.AttachFiles |
  Perm.ReadMessageHistory |
  Perm.UseExternalEmojis |
  Perm.UseApplicationCommands |
  Perm.CreatePublicThreads |
  Perm.SendMessagesInThreads;

/** What Discord grants an app in a DM with the bot [platform notes §3]. */
export const DM_APP_PERMS = Perm.AttachFiles | Perm.EmbedLinks | Perm.MentionEveryone | Perm.UseExternalEmojis;

export interface FakeUser {
  id: string;
  username: string;
  global_name: string | null;
  bot?: boolean;
}

export interface FakeRole {
  id: string;
  name: string;
  permissions: bigint;
}

export interface FakeMember {
  userId: string;
  roleIds: string[];
  nick: string | null;
}

export interface FakeChannel {
  id: string;
  type: number; // 0 text, 1 DM, 4 category, 11 public thread
  name?: string;
  guildId?: string;
  parentId?: string;
  /** The bot cannot see this channel: REST answers 403 50001 Missing Access. */
  botHasNoAccess?: boolean;
  /** For DMs. */
  recipientId?: string;
}

export interface FakeGuild {
  id: string;
  name: string;
  ownerId: string;
  roles: FakeRole[];
  members: FakeMember[];
  channelIds: string[];
}

export function userJson(u: FakeUser) {
  return {
    id: u.id,
    username: u.username,
    discriminator: '0',
    global_name: u.global_name,
    avatar: null,
    bot: u.bot ?? false,
    system: false,
    public_flags: 0,
    flags: 0,
  };
}

export function roleJson(r: FakeRole, position: number) {
  return {
    id: r.id,
    name: r.name,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position,
    permissions: r.permissions.toString(),
    managed: false,
    mentionable: false,
    flags: 0,
  };
}

/** The in-memory Discord the fake serves: users, guilds, channels. */
export class World {
  readonly users = new Map<string, FakeUser>();
  readonly guilds = new Map<string, FakeGuild>();
  readonly channels = new Map<string, FakeChannel>();
  readonly botUser: FakeUser;
  readonly applicationId: string;

  constructor(private readonly ids: SnowflakeSource, botName = 'prepbot') {
    this.applicationId = ids.next();
    // Discord bots' user id equals the application id for apps created since 2019.
    this.botUser = { id: this.applicationId, username: botName, global_name: null, bot: true };
    this.users.set(this.botUser.id, this.botUser);
  }

  addUser(username: string, globalName: string | null = null): FakeUser {
    const user: FakeUser = { id: this.ids.next(), username, global_name: globalName };
    this.users.set(user.id, user);
    return user;
  }

  addGuild(name: string, ownerId: string, opts: { id?: string } = {}): FakeGuild {
    const id = opts.id ?? this.ids.next();
    const guild: FakeGuild = {
      id,
      name,
      ownerId,
      // The @everyone role has the guild's id.
      roles: [{ id, name: '@everyone', permissions: MEMBER_PERMS }],
      members: [{ userId: this.botUser.id, roleIds: [], nick: null }],
      channelIds: [],
    };
    this.guilds.set(id, guild);
    return guild;
  }

  addRole(guild: FakeGuild, name: string, permissions: bigint): FakeRole {
    const role = { id: this.ids.next(), name, permissions };
    guild.roles.push(role);
    return role;
  }

  addMember(guild: FakeGuild, user: FakeUser, roleIds: string[] = []): void {
    guild.members.push({ userId: user.id, roleIds, nick: null });
  }

  addChannel(guild: FakeGuild, name: string, opts: { type?: number; botHasNoAccess?: boolean } = {}): FakeChannel {
    const channel: FakeChannel = {
      id: this.ids.next(),
      type: opts.type ?? 0,
      name,
      guildId: guild.id,
      ...(opts.botHasNoAccess ? { botHasNoAccess: true } : {}),
    };
    this.channels.set(channel.id, channel);
    guild.channelIds.push(channel.id);
    return channel;
  }

  dmChannelFor(userId: string): FakeChannel {
    for (const c of this.channels.values()) if (c.type === 1 && c.recipientId === userId) return c;
    const channel: FakeChannel = { id: this.ids.next(), type: 1, recipientId: userId };
    this.channels.set(channel.id, channel);
    return channel;
  }

  member(guildId: string, userId: string): FakeMember | undefined {
    return this.guilds.get(guildId)?.members.find((m) => m.userId === userId);
  }

  memberPermissions(guildId: string, userId: string): bigint {
    const guild = this.guilds.get(guildId);
    const member = this.member(guildId, userId);
    if (!guild || !member) return 0n;
    if (guild.ownerId === userId) return ALL_PERMS;
    let perms = 0n;
    for (const role of guild.roles) {
      if (role.id === guild.id || member.roleIds.includes(role.id)) perms |= role.permissions;
    }
    return perms & Perm.Administrator ? ALL_PERMS : perms;
  }

  channelJson(c: FakeChannel) {
    if (c.type === 1) {
      const recipient = this.users.get(c.recipientId ?? '');
      return {
        id: c.id,
        type: 1,
        last_message_id: null,
        flags: 0,
        recipients: recipient ? [userJson(recipient)] : [],
      };
    }
    const base = {
      id: c.id,
      type: c.type,
      guild_id: c.guildId,
      name: c.name,
      position: 0,
      // How real Discord hides a channel from the bot: an overwrite denying it view/send.
      permission_overwrites: c.botHasNoAccess
        ? [{ id: this.botUser.id, type: 1, allow: '0', deny: (Perm.ViewChannel | Perm.SendMessages).toString() }]
        : ([] as unknown[]),
      parent_id: c.parentId ?? null,
      nsfw: false,
      flags: 0,
    };
    if (c.type === 11 || c.type === 12) {
      return {
        ...base,
        owner_id: this.botUser.id,
        last_message_id: null,
        rate_limit_per_user: 0,
        message_count: 0,
        member_count: 1,
        total_message_sent: 0,
        thread_metadata: {
          archived: false,
          auto_archive_duration: 1440,
          archive_timestamp: new Date().toISOString(),
          locked: false,
          create_timestamp: new Date().toISOString(),
        },
      };
    }
    if (c.type === 0) return { ...base, topic: null, last_message_id: null, rate_limit_per_user: 0 };
    return base;
  }

  memberJson(guildId: string, m: FakeMember) {
    const user = this.users.get(m.userId);
    return {
      user: user ? userJson(user) : undefined,
      nick: m.nick,
      avatar: null,
      banner: null,
      roles: m.roleIds,
      joined_at: '2024-01-01T00:00:00.000Z',
      premium_since: null,
      deaf: false,
      mute: false,
      flags: 0,
      pending: false,
      communication_disabled_until: null,
      ...(guildId ? {} : {}),
    };
  }

  guildCreateJson(g: FakeGuild) {
    return {
      id: g.id,
      name: g.name,
      icon: null,
      splash: null,
      discovery_splash: null,
      owner_id: g.ownerId,
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      roles: g.roles.map((r, i) => roleJson(r, i)),
      emojis: [],
      stickers: [],
      features: [],
      mfa_level: 0,
      application_id: null,
      system_channel_id: null,
      system_channel_flags: 0,
      rules_channel_id: null,
      vanity_url_code: null,
      description: null,
      banner: null,
      premium_tier: 0,
      preferred_locale: 'en-US',
      public_updates_channel_id: null,
      nsfw_level: 0,
      premium_progress_bar_enabled: false,
      safety_alerts_channel_id: null,
      // GUILD_CREATE-only fields.
      joined_at: '2024-01-01T00:00:00.000Z',
      large: false,
      unavailable: false,
      member_count: g.members.length,
      voice_states: [],
      members: g.members.map((m) => this.memberJson(g.id, m)),
      channels: g.channelIds.map((id) => this.channelJson(this.channels.get(id)!)),
      threads: [],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  }
}

const ALL_PERMS = (1n << 51n) - 1n;
