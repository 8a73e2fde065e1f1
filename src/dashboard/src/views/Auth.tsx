import { useState, type FormEvent, type ReactNode } from "react";
import { Link, useLocation, useNavigate } from "react-router";
import { useMutation } from "@connectrpc/connect-query";
import { MessageCircle } from "lucide-react";
import { IdentityService } from "@sdk/wagate/identity/v1/identity_pb";
import { tokenStore } from "../lib/auth";
import { fieldError, toFormError, type FormError } from "../lib/errors";
import { Button, Field, FormErrorNote } from "../components/ui";

function AuthCard({ title, children, footer }: { title: string; children: ReactNode; footer: ReactNode }) {
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-10">
      <div className="w-full max-w-sm space-y-6">
        <div className="flex items-center justify-center gap-2 text-lg font-semibold text-emerald-800 dark:text-emerald-400">
          <MessageCircle className="size-6" aria-hidden /> Wagate
        </div>
        <section className="rounded-lg border border-zinc-200 bg-white p-6 shadow-sm dark:border-zinc-700 dark:bg-zinc-900">
          <h1 className="mb-4 text-xl font-semibold">{title}</h1>
          {children}
        </section>
        <p className="text-center text-sm text-zinc-600 dark:text-zinc-300">{footer}</p>
      </div>
    </main>
  );
}

export function SignIn() {
  const navigate = useNavigate();
  const location = useLocation();
  const [error, setError] = useState<FormError | null>(null);
  const login = useMutation(IdentityService.method.login);
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setError(null);
    login.mutate(
      { email: String(form.get("email")), password: String(form.get("password")) },
      {
        onSuccess: (res) => {
          tokenStore.set(res.accessToken);
          const from = (location.state as { from?: string } | null)?.from;
          navigate(from && from !== "/sign-in" ? from : res.user?.platformAdmin ? "/operator/workers" : "/sessions", { replace: true });
        },
        onError: (err) => setError(toFormError(err)),
      },
    );
  };
  return (
    <AuthCard title="Sign in" footer={<>New to Wagate? <Link className="font-medium text-emerald-800 underline dark:text-emerald-400" to="/sign-up">Create an account</Link></>}>
      <form onSubmit={submit} className="space-y-4" noValidate>
        <Field label="Email" name="email" type="email" autoComplete="email" required error={fieldError(error, "email")} />
        <Field label="Password" name="password" type="password" autoComplete="current-password" required error={fieldError(error, "password")} />
        <FormErrorNote error={error} shown={["email", "password"]} />
        <Button type="submit" busy={login.isPending} className="w-full">
          Sign in
        </Button>
      </form>
    </AuthCard>
  );
}

export function SignUp() {
  const navigate = useNavigate();
  const [error, setError] = useState<FormError | null>(null);
  const register = useMutation(IdentityService.method.register);
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setError(null);
    register.mutate(
      {
        email: String(form.get("email")),
        password: String(form.get("password")),
        displayName: String(form.get("displayName")),
        tenantDisplayName: String(form.get("tenantDisplayName")),
      },
      {
        onSuccess: (res) => {
          tokenStore.set(res.accessToken);
          // The first API key's secret exists only in this answer: the next view shows it once.
          navigate("/sessions", { replace: true, state: { firstKey: res.apiKey?.key } });
        },
        onError: (err) => setError(toFormError(err)),
      },
    );
  };
  return (
    <AuthCard title="Create your account" footer={<>Have an account? <Link className="font-medium text-emerald-800 underline dark:text-emerald-400" to="/sign-in">Sign in</Link></>}>
      <form onSubmit={submit} className="space-y-4" noValidate>
        <Field label="Your name" name="displayName" autoComplete="name" required error={fieldError(error, "displayName")} />
        <Field label="Company or project" name="tenantDisplayName" autoComplete="organization" hint="Your workspace; you can use your name." error={fieldError(error, "tenantDisplayName")} />
        <Field label="Email" name="email" type="email" autoComplete="email" required error={fieldError(error, "email")} />
        <Field label="Password" name="password" type="password" autoComplete="new-password" required hint="At least 10 characters." error={fieldError(error, "password")} />
        <FormErrorNote error={error} shown={["email", "password", "displayName", "tenantDisplayName"]} />
        <Button type="submit" busy={register.isPending} className="w-full">
          Create account
        </Button>
      </form>
    </AuthCard>
  );
}
