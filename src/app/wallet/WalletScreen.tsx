export default function WalletScreen() {
  return <p>Wallet: coming up.</p>;
}
