export default function VerifyScreen() {
  return <p>Verifier: coming up.</p>;
}
