/**
 * A migration as Supabase projects write them: a key to auth.users, a storage policy, a bucket, and a table made
 * inside a guarded DO block.
 */
export const SUPABASE_MIGRATION = `
create table public.profiles (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users(id) on delete cascade,
  avatar_path text
);
alter table public.profiles enable row level security;
create policy "Users can upload their own avatar" on storage.objects for insert to authenticated
  with check (bucket_id = 'avatars' and auth.uid()::text = (storage.foldername(name))[1]);
create policy "Users can read their own avatar" on storage.objects for select to authenticated
  using (bucket_id = 'avatars' and auth.uid()::text = (storage.foldername(name))[1]);
insert into storage.buckets (id, name) values ('avatars', 'avatars');
do $$
begin
  if not exists (select 1 from information_schema.tables where table_name = 'avatar_audit') then
    create table public.avatar_audit (
      id bigint generated always as identity primary key,
      profile_id uuid not null references public.profiles(id),
      at timestamptz not null default now()
    );
  end if;
end $$;
`;
